import net from 'node:net';

/**
 * Tests that need a real service run when it is there and skip with a printed reason when it is not —
 * except in CI, where `.ci/run` sets REQUIRE_POSTGRES / REQUIRE_BROWSER and a missing service fails the run.
 */

export const POSTGRES_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

function tcpOpen(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

async function availability(
  name: string,
  required: boolean,
  probe: () => Promise<boolean>,
): Promise<boolean> {
  if (await probe()) return true;
  if (required) throw new Error(`${name} is required (REQUIRE_${name.toUpperCase()}=1) but not reachable`);
  console.warn(
    `[skip] ${name} is not reachable: its tests are skipped (set REQUIRE_${name.toUpperCase()}=1 to fail instead)`,
  );
  return false;
}

/** True when Postgres answers; throws when REQUIRE_POSTGRES=1 and it does not. Use with `describe.runIf`. */
export async function hasPostgres(): Promise<boolean> {
  const url = new URL(POSTGRES_URL);
  return availability('postgres', process.env['REQUIRE_POSTGRES'] === '1', () =>
    tcpOpen(url.hostname, Number(url.port || 5432)),
  );
}

/** True when Debian's Chromium is installed; throws when REQUIRE_BROWSER=1 and it is not. */
export async function hasBrowser(): Promise<boolean> {
  const { access } = await import('node:fs/promises');
  return availability('browser', process.env['REQUIRE_BROWSER'] === '1', () =>
    access(CHROMIUM_PATH).then(
      () => true,
      () => false,
    ),
  );
}

/** The only flags we launch Chromium with: no network chatter, no sandbox (root in CI), no GPU. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];
