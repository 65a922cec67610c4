// diagnosePermissions: checks every security-role setting psa-bridge needs, creating nothing in CW.
// Reads are probed with pageSize=1; writes with bodies CW rejects *after* its permission check
// (CW answers 403 before validating the body), so 403 = missing and 400/404 = allowed.
import type { ConnectWiseClient } from './client.ts';
import { render, where } from './conditions.ts';
import { NotFoundError, PermissionError, ValidationError } from './errors.ts';
import { type PermissionId, permissionFix, permissionLabel, REQUIRED_PERMISSIONS } from './permissions.ts';

export type PermissionStatus = 'ok' | 'missing' | 'unknown';

export interface PermissionCheck {
  id: PermissionId;
  /** "Finance › Agreements: Add" */
  permission: string;
  usedFor: string;
  status: PermissionStatus;
  /** Where to fix it in CW (for missing), or why we could not tell (for unknown). */
  detail?: string;
}

export interface PermissionDiagnosis {
  ok: boolean;
  checks: PermissionCheck[];
  missing: PermissionCheck[];
}

type ProbeResult = 'allowed' | 'refused' | { unknown: string };

async function probe(run: () => Promise<unknown>): Promise<ProbeResult> {
  try {
    await run();
    return 'allowed';
  } catch (err) {
    if (err instanceof PermissionError) return 'refused';
    if (err instanceof ValidationError || err instanceof NotFoundError) return 'allowed';
    return { unknown: err instanceof Error ? err.message : 'probe failed' };
  }
}

/** A ticket body CW must reject: an empty summary and a company id that cannot exist. */
const INVALID_TICKET = { summary: '', company: { id: 0 } };
const INVALID_SUMMARY_PATCH = [{ op: 'replace', path: 'summary', value: '' }];

export async function diagnosePermissions(client: ConnectWiseClient): Promise<PermissionDiagnosis> {
  const { api } = client;
  const firstPage = (path: string, conditions?: string) =>
    api.request('GET', path, { query: { pageSize: 1, fields: 'id', conditions } });
  const firstId = async (path: string, conditions?: string): Promise<number | undefined> => {
    try {
      const reply = await firstPage(path, conditions);
      const rows = reply.body as { id?: unknown }[];
      return Array.isArray(rows) && typeof rows[0]?.id === 'number' ? rows[0].id : undefined;
    } catch {
      return undefined;
    }
  };

  const results = new Map<PermissionId, ProbeResult>();
  const reads: [PermissionId, string][] = [
    ['companies.inquire', '/company/companies'],
    ['tickets.inquire', '/service/tickets'],
    ['tableSetup.companyStatus', '/company/companies/statuses'],
    ['tableSetup.priority', '/service/priorities'],
    ['tableSetup.serviceBoard', '/service/boards'],
    ['tableSetup.workType', '/time/workTypes'],
    ['agreements.inquire', '/finance/agreements'],
    ['catalog.inquire', '/procurement/catalog'],
  ];
  await Promise.all(reads.map(async ([id, path]) => results.set(id, await probe(() => firstPage(path)))));

  // Writes: ids of real records make CW reach its permission check on the right entity; the bodies
  // are invalid, so nothing is created or changed. Missing ids fall back to 0 (403 still precedes 404).
  const agreementId = (await firstId('/finance/agreements')) ?? 0;
  const additionId = agreementId ? ((await firstId(`/finance/agreements/${agreementId}/additions`)) ?? 0) : 0;
  const openTicketId = (await firstId('/service/tickets', render(where.eq('closedFlag', false)))) ?? 0;

  results.set(
    'tickets.add',
    await probe(() => api.request('POST', '/service/tickets', { body: INVALID_TICKET })),
  );
  results.set(
    'tickets.edit',
    await probe(() =>
      api.request('PATCH', `/service/tickets/${openTicketId}`, { body: INVALID_SUMMARY_PATCH }),
    ),
  );
  results.set(
    'agreements.add',
    await probe(() => api.request('POST', `/finance/agreements/${agreementId}/additions`, { body: {} })),
  );
  results.set(
    'agreements.edit',
    await probe(() =>
      api.request('PATCH', `/finance/agreements/${agreementId}/additions/${additionId}`, {
        body: [{ op: 'replace', path: 'quantity', value: 'not a number' }],
      }),
    ),
  );
  results.set('closeTickets', await probeClose(client));

  const checks = REQUIRED_PERMISSIONS.map((p): PermissionCheck => {
    const result = results.get(p.id) ?? { unknown: 'not probed' };
    const base = { id: p.id, permission: permissionLabel(p), usedFor: p.usedFor };
    if (result === 'allowed') return { ...base, status: 'ok' };
    if (result === 'refused') return { ...base, status: 'missing', detail: permissionFix(p) };
    return { ...base, status: 'unknown', detail: result.unknown };
  });
  const missing = checks.filter((c) => c.status === 'missing');
  return { ok: checks.every((c) => c.status === 'ok'), checks, missing };
}

/**
 * Closing is a separate CW permission checked when a ticket moves into a closed status. We ask to
 * create an invalid ticket already in a closed status of a real board: 403 if closing is not allowed,
 * else a 400 for the body. Needs a board with a closed status (Table Setup › Service Board).
 */
async function probeClose(client: ConnectWiseClient): Promise<ProbeResult> {
  let target: { board: number; status: number } | undefined;
  try {
    for await (const board of client.boards.iterate({ pageSize: 100 })) {
      const [closed] = await client.boards.closedStatuses(board.id);
      if (closed) {
        target = { board: board.id, status: closed.id };
        break;
      }
    }
  } catch (err) {
    return { unknown: `could not read boards to find a closed status (${(err as Error).message})` };
  }
  if (!target) return { unknown: 'no service board has a closed status to test with' };
  const body = { ...INVALID_TICKET, board: { id: target.board }, status: { id: target.status } };
  return probe(() => client.api.request('POST', '/service/tickets', { body }));
}
