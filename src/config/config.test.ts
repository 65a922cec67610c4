import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, DEVELOPMENT_CW_CLIENT_ID, envSchema, loadConfig } from './index.ts';

const KEY = Buffer.alloc(32, 7).toString('base64');

function problemsOf(env: Record<string, string>): Record<string, string> {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError)
      return Object.fromEntries(error.problems.map((p) => [p.field, p.message]));
    throw error;
  }
  return {};
}

describe('configuration', () => {
  it('has working defaults for the embedded single-process setup', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      nodeEnv: 'development',
      host: '127.0.0.1',
      port: 3000,
      publicUrl: 'http://127.0.0.1:3000',
      secureCookies: false,
      logLevel: 'info',
      demo: 'auto',
      simulatorPort: 8790,
      webhook: { toleranceSeconds: 300 },
      ingest: { maxBodyBytes: 262_144 },
      cw: { clientId: DEVELOPMENT_CW_CLIENT_ID, allowedHosts: [], allowPrivateAddresses: false },
    });
    expect(config.database).toMatchObject({
      dialect: 'sqlite',
      sqlitePath: path.resolve('data/psa-bridge.db'),
      sqliteSynchronous: 'full',
    });
    expect(config.secrets).toMatchObject({ masterKey: undefined, keyFile: path.resolve('data/master.key') });
  });

  it('selects Postgres by URL, https cookies by PUBLIC_URL, and parses lists and flags', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgresql://u@db:5432/psa',
      PUBLIC_URL: 'https://bridge.example.com/',
      CW_ALLOWED_HOSTS: 'cw.example.com, 127.0.0.1 ,',
      CW_ALLOW_PRIVATE_ADDRESSES: 'true',
      PSA_BRIDGE_MASTER_KEY: KEY,
      PORT: '8080',
    });
    expect(config.database).toMatchObject({ dialect: 'postgres', sqlitePath: undefined });
    expect(config.publicUrl).toBe('https://bridge.example.com');
    expect(config.secureCookies).toBe(true);
    expect(config.cw.allowedHosts).toEqual(['cw.example.com', '127.0.0.1']);
    expect(config.cw.allowPrivateAddresses).toBe(true);
    expect(config.secrets.masterKey?.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(config.port).toBe(8080);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: ' ' }).port).toBe(3000);
  });

  it('lists every problem at once, each with the variable and what was expected', () => {
    const problems = problemsOf({
      PORT: 'eighty',
      LOG_LEVEL: 'loud',
      PUBLIC_URL: 'ftp://x',
      PSA_BRIDGE_MASTER_KEY: 'too-short',
      CW_CLIENT_ID: 'not-a-guid',
      DEMO: 'maybe',
      WORKER_CONCURRENCY: '0',
    });
    expect(Object.keys(problems).sort()).toEqual(
      [
        'CW_CLIENT_ID',
        'DEMO',
        'LOG_LEVEL',
        'PORT',
        'PSA_BRIDGE_MASTER_KEY',
        'PUBLIC_URL',
        'WORKER_CONCURRENCY',
      ].sort(),
    );
    expect(problems['PORT']).toMatch(/integer from 0 to 65535/);
    expect(problems['PSA_BRIDGE_MASTER_KEY']).toMatch(/32 bytes/);
  });

  it('requires a master key and a registered CW client id in production, and refuses demo mode there', () => {
    const problems = problemsOf({ NODE_ENV: 'production', DEMO: 'true' });
    expect(Object.keys(problems).sort()).toEqual(['CW_CLIENT_ID', 'DEMO', 'PSA_BRIDGE_MASTER_KEY']);
    expect(() =>
      loadConfig({
        NODE_ENV: 'production',
        PSA_BRIDGE_MASTER_KEY: KEY,
        CW_CLIENT_ID: '1b2c3d4e-0000-4000-8000-00000000abcd',
      }),
    ).not.toThrow();
  });

  it('the error message names each field on its own line', () => {
    expect(() => loadConfig({ PORT: '-1', SESSION_IDLE_MINUTES: 'x' })).toThrow(
      /2 problems[\s\S]*- PORT: [\s\S]*- SESSION_IDLE_MINUTES: /,
    );
  });
});

describe('.env.example', () => {
  it('documents every variable of the schema, and only those', () => {
    const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const documented = [...text.matchAll(/^([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect(documented.sort()).toEqual(Object.keys(envSchema.shape).sort());
  });

  it('its values parse as a valid configuration', () => {
    const text = readFileSync(new URL('../../.env.example', import.meta.url), 'utf8');
    const env = Object.fromEntries([...text.matchAll(/^([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1], m[2]]));
    expect(() => loadConfig(env)).not.toThrow();
  });
});
