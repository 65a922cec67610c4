import { badRequest as bad, CwError, notFound } from './errors.ts';
import { FaultSchema } from './faults.ts';
import { invoicesOf, refreshAgreementStatuses, runInvoice } from './invoicing.ts';
import { upgradeCodebase } from './resources/system.ts';
import { buildState, seedProblem } from './seeds/index.ts';
import { isDay } from './time.ts';
import type { SimState } from './types.ts';

/** Holds the current state so /__sim/reset can swap it for a fresh one. */
export interface StateHolder {
  state: SimState;
}

export interface ControlReply {
  status: number;
  body?: unknown;
}

function objectOf(body: unknown): Record<string, unknown> {
  if (body === undefined) return {};
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw bad('Expected a JSON object body.');
  return body as Record<string, unknown>;
}

/**
 * The test-control API under /__sim/ (no CW auth; the server only serves it to loopback callers).
 * `path` is what follows `/__sim/`, without a trailing slash.
 */
export function control(
  holder: StateHolder,
  method: string,
  path: string,
  query: URLSearchParams,
  body: unknown,
): ControlReply {
  const s = holder.state;
  const invoiceMatch = /^agreements\/(\d+)\/(invoice|invoices)$/.exec(path);
  const key = `${method} ${invoiceMatch ? `agreements/:id/${invoiceMatch[2]}` : path}`;
  switch (key) {
    case 'GET ':
      return { status: 200, body: help() };
    case 'POST reset': {
      const b = objectOf(body);
      const seed = typeof b['seed'] === 'string' ? b['seed'] : s.seed;
      const today = typeof b['today'] === 'string' ? b['today'] : s.today;
      const problem = seedProblem(seed);
      if (problem) throw bad(problem);
      if (!isDay(today)) throw bad(`today must be a date YYYY-MM-DD, got '${today}'.`);
      s.log.clear();
      holder.state = buildState(seed, today, s.log);
      return { status: 200, body: summary(holder.state) };
    }
    case 'POST clock': {
      const today = objectOf(body)['today'];
      if (typeof today !== 'string' || !isDay(today)) throw bad('today must be a date YYYY-MM-DD.');
      s.today = today;
      refreshAgreementStatuses(s);
      return { status: 200, body: { today } };
    }
    case 'POST codebase': {
      const b = objectOf(body);
      const codebase = b['codebase'];
      const versionCode = b['versionCode'];
      if (typeof codebase !== 'string') throw bad("codebase: expected a string like 'v2026_1/'.");
      if (versionCode !== undefined && typeof versionCode !== 'string')
        throw bad("versionCode: expected a string like 'v2026.1'.");
      const problem = upgradeCodebase(s, codebase, versionCode);
      if (problem) throw bad(problem);
      return { status: 200, body: s.codebase };
    }
    case 'GET codebase':
      return { status: 200, body: s.codebase };
    case 'POST faults': {
      const parsed = FaultSchema.safeParse(objectOf(body));
      if (!parsed.success) {
        throw bad(parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
      }
      s.faults = { ...parsed.data, used: 0 };
      return { status: 200, body: s.faults };
    }
    case 'DELETE faults':
      s.faults = undefined;
      return { status: 204 };
    case 'GET faults':
      return { status: 200, body: s.faults ?? null };
    case 'GET requests':
      return { status: 200, body: s.log.snapshot(Number(query.get('since') ?? 0) || 0) };
    case 'DELETE requests':
      s.log.clear();
      return { status: 204 };
    case 'POST agreements/:id/invoice':
      return { status: 201, body: runInvoice(s, Number(invoiceMatch![1])) };
    case 'GET agreements/:id/invoices': {
      const id = Number(invoiceMatch![1]);
      if (!s.tables.agreements.get(id)) throw notFound('Agreement', id);
      return { status: 200, body: invoicesOf(s, id) };
    }
    case 'GET state':
      return { status: 200, body: dump(s) };
    default:
      throw new CwError(404, { code: 'NotFound', message: `No control endpoint ${method} /__sim/${path}.` });
  }
}

function summary(s: SimState) {
  const counts = Object.fromEntries(Object.entries(s.tables).map(([k, t]) => [k, t.size]));
  return { seed: s.seed, today: s.today, counts: { ...counts, invoices: s.invoices.length } };
}

function dump(s: SimState) {
  return {
    ...summary(s),
    loginCompany: s.loginCompany,
    members: s.members.map((m) => ({
      id: m.id,
      identifier: m.identifier,
      publicKey: m.publicKey,
      role: m.role,
    })),
    faults: s.faults ?? null,
    codebase: s.codebase,
    tables: Object.fromEntries(Object.entries(s.tables).map(([k, t]) => [k, t.all()])),
    invoices: s.invoices,
  };
}

function help() {
  return {
    endpoints: [
      'POST /__sim/reset {seed?: "demo"|"empty"|"scale:N", today?: "YYYY-MM-DD"}',
      'POST /__sim/clock {today: "YYYY-MM-DD"}',
      'POST /__sim/codebase {codebase: "v2026_1/", versionCode?: "v2026.1"}',
      'GET /__sim/codebase',
      `POST /__sim/faults {${Object.keys(FaultSchema.shape).join(', ')}}`,
      'GET /__sim/faults',
      'DELETE /__sim/faults',
      'GET /__sim/requests?since=SEQ',
      'DELETE /__sim/requests',
      'POST /__sim/agreements/{id}/invoice',
      'GET /__sim/agreements/{id}/invoices',
      'GET /__sim/state',
    ],
  };
}
