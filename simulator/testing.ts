// Helpers for the simulator's own tests: a tiny CW client over real HTTP (fetch, keep-alive).
import { basicAuth } from './auth.ts';
import type { RunningSimulator } from './index.ts';

export type MemberKey = 'sandbox' | 'restricted' | 'noclose' | 'admin';

export interface CwResponse<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  member?: MemberKey;
  headers?: Record<string, string>;
  codebase?: string;
  /** Raw body text, sent as is (for malformed JSON tests). */
  raw?: string;
}

// biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary CW JSON
export type Json = any;

export function authHeaders(sim: RunningSimulator, member: MemberKey = 'sandbox'): Record<string, string> {
  return {
    Authorization: basicAuth(sim.credentials.companyId, `${member}-public`, `${member}-private`),
    clientId: sim.credentials.clientId,
  };
}

/** Calls `${apiBase}/${path}` as a member; parses JSON bodies. */
export async function cw<T = Json>(
  sim: RunningSimulator,
  method: string,
  path: string,
  body?: unknown,
  opts: CallOptions = {},
): Promise<CwResponse<T>> {
  const headers: Record<string, string> = { ...authHeaders(sim, opts.member), ...opts.headers };
  let payload: string | undefined = opts.raw;
  if (body !== undefined) {
    payload = JSON.stringify(body);
    headers['Content-Type'] = 'application/json';
  }
  const res = await fetch(`${sim.apiBase(opts.codebase)}/${path}`, { method, headers, body: payload });
  return { status: res.status, headers: res.headers, body: (await parse(res)) as T };
}

/** Calls the control API. */
export async function control<T = Json>(sim: RunningSimulator, method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim.url}/__sim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await parse(res)) as T };
}

async function parse(res: Response): Promise<unknown> {
  const text = await res.text();
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
