import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The operator's path, as real processes: `partners create`, `users create` (stdin and generated
// passwords), `serve --port 0` answering the console and the platform API, and SIGTERM shutting it down.

const BIN = path.resolve(import.meta.dirname, '../../bin/psa-bridge.js');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env,
      stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d) => {
      stdout += d;
    });
    child.stderr!.on('data', (d) => {
      stderr += d;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    if (input !== undefined) child.stdin!.end(input);
  });
}

function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs = 60_000): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${pattern} within ${timeoutMs} ms:\n${seen}`)),
      timeoutMs,
    );
    const onData = (d: Buffer) => {
      seen += d.toString();
      const match = pattern.exec(seen);
      if (match) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolve(match);
      }
    };
    child.stdout!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`exited with ${code} before ${pattern}:\n${seen}`)));
  });
}

describe('CLI: partners, users, serve', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess | undefined;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'psa-cli-'));
    env = {
      ...process.env,
      NODE_ENV: 'test',
      DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      HOST: '127.0.0.1',
      DEMO: 'false',
    };
    delete env['DATABASE_URL'];
    delete env['PSA_BRIDGE_MASTER_KEY'];
  });
  afterAll(() => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates a partner and users, serves them, and stops cleanly on SIGTERM', async () => {
    const created = await cli(['partners', 'create', '--name', 'CLI MSP', '--json'], env);
    expect(created.code, created.stderr).toBe(0);
    const partner = JSON.parse(created.stdout) as {
      partnerId: string;
      platformToken: string;
      webhookSecret: string;
    };
    expect(partner.platformToken).toMatch(/^psab_/);
    expect(partner.webhookSecret).toMatch(/^whsec_/);
    // Shown once: the database keeps neither in clear.
    const dbText = fs.readFileSync(path.join(dir, 'psa-bridge.db')).toString('latin1');
    const wal = path.join(dir, 'psa-bridge.db-wal');
    const walText = fs.existsSync(wal) ? fs.readFileSync(wal).toString('latin1') : '';
    for (const secret of [partner.platformToken, partner.webhookSecret.slice(6)]) {
      expect(dbText.includes(secret) || walText.includes(secret)).toBe(false);
    }

    const admin = await cli(
      [
        'users',
        'create',
        '--partner',
        partner.partnerId,
        '--email',
        'Admin@CLI.test',
        '--role',
        'msp_admin',
        '--password-stdin',
      ],
      env,
      'a long enough password\n',
    );
    expect(admin.code, admin.stderr).toBe(0);
    expect(admin.stdout).toContain('admin@cli.test');

    const viewer = await cli(
      [
        'users',
        'create',
        '--partner',
        partner.partnerId,
        '--email',
        'viewer@cli.test',
        '--role',
        'msp_viewer',
        '--json',
      ],
      env,
    );
    expect(viewer.code, viewer.stderr).toBe(0);
    const generated = (JSON.parse(viewer.stdout) as { password: string }).password;
    expect(generated.length).toBeGreaterThanOrEqual(20);

    const short = await cli(
      [
        'users',
        'create',
        '--partner',
        partner.partnerId,
        '--email',
        'x@cli.test',
        '--role',
        'msp_admin',
        '--password-stdin',
      ],
      env,
      'short\n',
    );
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/password: must be at least 12 characters/);
    const badRole = await cli(
      ['users', 'create', '--partner', partner.partnerId, '--email', 'x@cli.test', '--role', 'root'],
      env,
    );
    expect(badRole.code).toBe(2);
    expect(badRole.stderr).toMatch(/--role: expected one of msp_admin, msp_viewer, tenant_user/);
    const noPartner = await cli(
      ['users', 'create', '--partner', 'no-such-partner', '--email', 'x@cli.test', '--role', 'msp_admin'],
      env,
    );
    expect(noPartner.code).toBe(2);
    expect(noPartner.stderr).toMatch(/--partner: no partner no-such-partner/);

    server = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--no-demo'], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const [, origin] = await waitForLine(server, /listening on (http:\/\/127\.0\.0\.1:\d+)/);
    expect((await fetch(`${origin}/readyz`)).status).toBe(200);

    const login = await fetch(`${origin}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: origin! },
      body: JSON.stringify({ email: 'admin@cli.test', password: 'a long enough password' }),
    });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };

    // The platform API is mounted: the printed token works, and the tenant shows in the console.
    const tenant = await fetch(`${origin}/api/v1/platform/tenants/t-1`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${partner.platformToken}` },
      body: JSON.stringify({ name: 'Tenant One', domains: ['one.test'], status: 'active' }),
    });
    expect(tenant.status).toBe(201);
    const tenants = await fetch(`${origin}/api/v1/tenants`, { headers: { cookie } });
    expect(
      ((await tenants.json()) as { items: Array<{ tenantId: string }> }).items.map((t) => t.tenantId),
    ).toEqual(['t-1']);

    const tenantUser = await cli(
      [
        'users',
        'create',
        '--partner',
        partner.partnerId,
        '--email',
        'user@t1.test',
        '--role',
        'tenant_user',
        '--tenant',
        't-1',
      ],
      env,
      'tenant user password\n',
    );
    expect(tenantUser.code, tenantUser.stderr).toBe(0);

    const logout = await fetch(`${origin}/api/v1/auth/logout`, {
      method: 'POST',
      headers: { cookie, 'x-csrf-token': csrfToken, origin: origin! },
    });
    expect(logout.status).toBe(204);

    const exited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)));
    server.kill('SIGTERM');
    expect(await exited).toBe(0);

    // A worker-only process on the same database starts and stops on SIGTERM too.
    server = spawn(process.execPath, [BIN, 'worker'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    await waitForLine(server, /worker running/);
    const workerExited = new Promise<number | null>((resolve) =>
      server!.once('exit', (code) => resolve(code)),
    );
    server.kill('SIGTERM');
    expect(await workerExited).toBe(0);
    // Eight Node processes start in this test; on a busy 2-core machine that alone can take a while.
  }, 180_000);
});
