import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const bin = path.resolve(import.meta.dirname, '../bin/psa-bridge.js');

/** `psa-bridge sim` prints where it listens and how to call it, and serves what it printed. */
describe('psa-bridge sim', () => {
  it('prints the URL, credentials and a curl line, and answers on that URL', async () => {
    const child = spawn(process.execPath, [
      bin,
      'sim',
      '--port',
      '0',
      '--seed',
      'empty',
      '--today',
      '2026-03-10',
    ]);
    try {
      const text = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (out.includes('control API')) resolve(out);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}`)));
      });
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(text)?.[1];
      expect(url).toBeDefined();
      expect(text).toContain('today 2026-03-10');
      expect(text).toContain('sandbox-public');
      expect(text).toContain('curl ');
      const info = await fetch(`${url}/login/companyinfo/sandbox`);
      expect((await info.json()).CompanyID).toBe('sandbox');
    } finally {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
    }
  });

  it('refuses an unknown seed with a message and exit code 1', async () => {
    const child = spawn(process.execPath, [bin, 'sim', '--port', '0', '--seed', 'tiny']);
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    const code = await new Promise((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(err).toContain("Unknown seed 'tiny'");
  });
});
