// Each error class, produced by the simulator.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AuthenticationError,
  CircuitOpenError,
  type ConnectWiseClient,
  createConnectWiseClient,
  NetworkError,
  NotConnectWiseError,
  NotFoundError,
  PermissionError,
  RateLimitedError,
  TimeoutError,
  TlsError,
  UnavailableError,
  UnknownCompanyError,
  ValidationError,
} from '../../src/connectwise/index.ts';
import { type Sim, startSim } from './sim.ts';

let s: Sim;
const clients: ConnectWiseClient[] = [];
const client = (overrides: Parameters<Sim['config']>[0] = {}) => {
  const c = createConnectWiseClient(s.config({ retry: { maxAttempts: 2, baseDelayMs: 10 }, ...overrides }));
  clients.push(c);
  return c;
};

beforeAll(async () => {
  s = await startSim();
});
afterAll(async () => {
  await Promise.all(clients.map((c) => c.close()));
  await s?.close();
});

describe('typed errors', () => {
  it('401 → AuthenticationError telling what to check', async () => {
    const err = await client({ privateKey: 'wrong-private' })
      .system.info()
      .catch((e) => e);
    expect(err).toBeInstanceOf(AuthenticationError);
    expect(err).toMatchObject({ code: 'CW_AUTH', status: 401 });
    expect(err.message).toMatch(/private key/);
  });

  it('403 → PermissionError naming the refused role setting', async () => {
    const cw = client(s.member('restricted'));
    const [agreement] = await cw.agreements.all({ pageSize: 1 });
    const err = await cw.additions
      .create(agreement!.id, {
        product: { id: 1 },
        quantity: 1,
        billCustomer: 'Billable',
        effectiveDate: '2030-01-01',
      })
      .catch((e) => e);
    expect(err).toBeInstanceOf(PermissionError);
    expect(err).toMatchObject({ code: 'CW_PERMISSION', permission: 'Finance › Agreements: Add' });
    expect(err.message).toMatch(/lacks Finance › Agreements: Add/);
  });

  it("400 → ValidationError keeping CW's field errors", async () => {
    const err = await client()
      .tickets.create({ summary: 'x', company: { id: 987654 } })
      .catch((e) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect(err.code).toBe('CW_VALIDATION');
    expect(err.fieldErrors.length).toBeGreaterThan(0);
    expect(err.fieldErrors[0].field).toBeTruthy();
  });

  it('404 → NotFoundError', async () => {
    const err = await client()
      .tickets.get(2_000_000_000)
      .catch((e) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect(err.code).toBe('CW_NOT_FOUND');
  });

  it('429 with a long Retry-After → RateLimitedError carrying the wait', async () => {
    await s.faults({ rate429: 1, retryAfterSeconds: 120, count: 1 });
    const cw = client();
    const err = await cw.system.info().catch((e) => e);
    await s.clearFaults();
    expect(err).toBeInstanceOf(RateLimitedError);
    expect(err).toMatchObject({ code: 'CW_RATE_LIMITED', retryAfterMs: 120_000, retryable: true });
    expect(cw.pausedForMs()).toBeGreaterThan(100_000);
  });

  it('5xx that outlasts the retries → UnavailableError', async () => {
    await s.faults({ errorRate: 1, errorStatuses: [503] });
    const err = await client()
      .system.info()
      .catch((e) => e);
    await s.clearFaults();
    expect(err).toBeInstanceOf(UnavailableError);
    expect(err).toMatchObject({ code: 'CW_UNAVAILABLE', status: 503 });
  });

  it('connection reset → NetworkError; hang → TimeoutError', async () => {
    await s.faults({ resetRate: 1 });
    const reset = await client()
      .system.info()
      .catch((e) => e);
    await s.faults({ hangMs: 3_000 });
    const hung = await client({ timeouts: { totalMs: 300 } })
      .system.info()
      .catch((e) => e);
    await s.clearFaults();
    expect(reset).toBeInstanceOf(NetworkError);
    expect(reset.code).toBe('CW_NETWORK');
    expect(hung).toBeInstanceOf(TimeoutError);
    expect(hung.code).toBe('CW_TIMEOUT');
  });

  it('unknown company ID → UnknownCompanyError', async () => {
    const err = await client({ companyId: 'nosuchco' })
      .system.info()
      .catch((e) => e);
    expect(err).toBeInstanceOf(UnknownCompanyError);
    expect(err.message).toMatch(/company ID "nosuchco"/);
  });

  it('breaker open → CircuitOpenError', async () => {
    await s.faults({ errorRate: 1, errorStatuses: [502] });
    const cw = client({ breaker: { failureThreshold: 2, halfOpenAfterMs: 60_000 } });
    await cw.system.info().catch(() => undefined);
    const err = await cw.system.info().catch((e) => e);
    await s.clearFaults();
    expect(err).toBeInstanceOf(CircuitOpenError);
    expect(err.code).toBe('CW_CIRCUIT_OPEN');
  });

  it('TLS: the simulator in --tls mode fails without its CA and works with it', async () => {
    const tls = await startSim({ tls: true });
    try {
      const { ca: _ca, ...noCa } = tls.config();
      const bad = createConnectWiseClient(noCa);
      const err = await bad.system.info().catch((e) => e);
      await bad.close();
      expect(err).toBeInstanceOf(TlsError);
      expect(err.code).toBe('CW_TLS');
      const good = createConnectWiseClient(tls.config());
      expect((await good.system.info()).version).toBeTruthy();
      await good.close();
    } finally {
      await tls.close();
    }
  });
});

describe('a host that is not ConnectWise', () => {
  it('HTML instead of JSON (a CW UI host) → NotConnectWiseError pointing at the API host', async () => {
    await s.faults({ htmlRate: 1, pathPrefix: '/login/companyinfo' });
    try {
      const err = await client()
        .system.info()
        .catch((e) => e);
      expect(err).toBeInstanceOf(NotConnectWiseError);
      expect(err.message).toMatch(/web page instead of JSON/);
    } finally {
      await s.clearFaults();
    }
  });

  it('a redirect → NotConnectWiseError, and the redirect is not followed', async () => {
    await s.clearRequests();
    await s.faults({ redirectRate: 1, redirectLocation: '/v4_6_release/apis/3.0/system/info' });
    try {
      const err = await client({ codebase: 'v4_6_release/' })
        .system.info()
        .catch((e) => e);
      expect(err).toBeInstanceOf(NotConnectWiseError);
      expect(err.message).toMatch(/redirect \(302\)/);
      const seen = await s.requests();
      expect(seen.map((r) => `${r.status} ${r.fault}`)).toEqual(['302 redirect']);
    } finally {
      await s.clearFaults();
    }
  });
});
