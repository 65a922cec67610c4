// T17 for the client: keys and the Authorization header never reach hook events, log lines, error
// messages or anything an error serialises to — across successes and every kind of failure.
import { Writable } from 'node:stream';
import { inspect } from 'node:util';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConnectWiseClient, diagnosePermissions, testConnection } from '../../src/connectwise/index.ts';
import { type Sim, startSim } from './sim.ts';

let s: Sim;
beforeAll(async () => {
  s = await startSim();
});
afterAll(async () => {
  await s?.close();
});

describe('secrets stay out of logs and errors', () => {
  it('no key or Authorization value in any captured output', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const log = pino({ level: 'debug' }, sink);
    const wrongKey = 'wrong-private-key-7f3a';
    const configs = [s.config(), s.config({ privateKey: wrongKey }), s.config(s.member('restricted'))];
    const captured: string[] = [];
    const record = (err: unknown) => {
      captured.push(String(err), JSON.stringify(err), inspect(err, { depth: 6, showHidden: true }));
      log.error({ err }, 'cw call failed');
    };

    await s.faults({ errorRate: 0.3, resetRate: 0.1, rate429: 0.1, retryAfterSeconds: 0 });
    for (const config of configs) {
      const cw = createConnectWiseClient({
        ...config,
        retry: { maxAttempts: 2, baseDelayMs: 5 },
        hooks: {
          onRequest: (e) => log.info(e, 'cw request'),
          onBreakerChange: (st) => log.warn({ st }, 'breaker'),
        },
      });
      captured.push(inspect(cw, { depth: 8, showHidden: true }));
      for (const call of [
        () => cw.system.info(),
        () => cw.companies.all({ pageSize: 5 }),
        () => cw.tickets.create({ summary: 'x', company: { id: 987654 } }),
        () =>
          cw.additions.create(1, {
            product: { id: 1 },
            quantity: 1,
            billCustomer: 'Billable',
            effectiveDate: '2030-01-01',
          }),
        () => cw.tickets.get(2_000_000_000),
        () => diagnosePermissions(cw),
      ]) {
        await call().catch(record);
      }
      await cw.close();
    }
    await s.clearFaults();
    const tested = await testConnection(s.config({ privateKey: wrongKey }));
    captured.push(JSON.stringify(tested));

    const output = [...lines, ...captured].join('\n');
    expect(lines.length).toBeGreaterThan(20);
    expect(output).toMatch(/CW_AUTH/); // the failures really happened and were captured
    const { companyId, publicKey, privateKey } = s.sim.credentials;
    const needles = [
      privateKey,
      publicKey,
      wrongKey,
      'restricted-private',
      Buffer.from(`${companyId}+${publicKey}:${privateKey}`).toString('base64'),
      Buffer.from(`${companyId}+${publicKey}:${wrongKey}`).toString('base64'),
      'Basic ',
    ];
    for (const needle of needles) expect(output.includes(needle), needle).toBe(false);
  }, 60_000);
});
