// Permission diagnosis against the simulator's demo members: each restricted member is diagnosed with
// exactly what its role lacks, and the probes create or change nothing.
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

async function diagnose(member?: 'restricted' | 'noclose') {
  const cw = createConnectWiseClient(s.config(member ? s.member(member) : {}));
  try {
    return await diagnosePermissions(cw);
  } finally {
    await cw.close();
  }
}

async function snapshot() {
  const cw = createConnectWiseClient(s.config());
  try {
    let additions = 0;
    for await (const a of cw.agreements.iterate()) additions += await cw.additions.count(a.id);
    const tickets = await cw.tickets.all();
    return { tickets: tickets.map((t) => `${t.id}:${t.summary}:${t.status?.id}`), additions };
  } finally {
    await cw.close();
  }
}

describe('diagnosePermissions', () => {
  it('the full documented role passes every check', async () => {
    const d = await diagnose();
    expect(d.checks.filter((c) => c.status !== 'ok')).toEqual([]);
    expect(d.ok).toBe(true);
    expect(d.checks.length).toBe(13);
  });

  it('restricted member: exactly Finance › Agreements Add and Edit are missing, with the fix', async () => {
    const d = await diagnose('restricted');
    expect(d.ok).toBe(false);
    expect(d.missing.map((m) => m.permission)).toEqual([
      'Finance › Agreements: Add',
      'Finance › Agreements: Edit',
    ]);
    expect(d.missing[0]!.detail).toMatch(
      /System › Security Roles › .* › Finance › Agreements › Add Level = All/,
    );
    expect(d.checks.filter((c) => c.status === 'unknown')).toEqual([]);
  });

  it('noclose member: exactly Service Desk › Close Service Tickets is missing', async () => {
    const d = await diagnose('noclose');
    expect(d.missing.map((m) => m.id)).toEqual(['closeTickets']);
    expect(d.missing[0]!.permission).toBe('Service Desk › Close Service Tickets: Add and Edit');
    expect(d.checks.filter((c) => c.status === 'unknown')).toEqual([]);
  });

  it('creates and changes nothing in CW', async () => {
    const before = await snapshot();
    const seq = (await s.requests()).at(-1)?.seq ?? 0;
    await diagnose();
    await diagnose('restricted');
    await diagnose('noclose');
    const writes = (await s.requests(seq)).filter((r) => r.method !== 'GET');
    expect(writes.length).toBeGreaterThan(0);
    for (const w of writes)
      expect([400, 403, 404], `${w.method} ${w.path} → ${w.status}`).toContain(w.status);
    expect(await snapshot()).toEqual(before);
  });
});

describe('testConnection', () => {
  it('returns company name, codebase, version and round-trip time', async () => {
    const result = await testConnection(s.config());
    expect(result).toMatchObject({
      ok: true,
      companyName: expect.any(String),
      codebase: expect.stringMatching(/\/$/),
    });
    if (result.ok) {
      expect(result.version).toMatch(/^v/);
      expect(result.roundTripMs).toBeGreaterThanOrEqual(0);
    }
  });

  it('names the field at fault', async () => {
    expect(await testConnection(s.config({ companyId: 'nosuch' }))).toMatchObject({
      ok: false,
      field: 'companyId',
    });
    expect(await testConnection(s.config({ privateKey: 'nope' }))).toMatchObject({
      ok: false,
      field: 'credentials',
      code: 'CW_AUTH',
    });
    expect(await testConnection(s.config({ publicKey: '' }))).toMatchObject({
      ok: false,
      field: 'publicKey',
    });
    expect(await testConnection(s.config({ site: 'not a host!' }))).toMatchObject({
      ok: false,
      field: 'site',
    });
  });
});
