/** What the simulator saw, for tests that assert on the calls a client made (`GET /__sim/requests`). */
export interface LoggedRequest {
  seq: number;
  at: string;
  method: string;
  /** Path without query, as sent. */
  path: string;
  /** Path with ids replaced by `{id}`, for grouping (`/v4_6_release/apis/3.0/service/tickets/{id}`). */
  route: string;
  query: string;
  /** API member identifier, or '' when the request was not authenticated. */
  member: string;
  status: number;
  durationMs: number;
  /** The injected fault, when one decided the answer. */
  fault?: string;
  /**
   * True while a `hangMs` fault still holds the request: it is logged when it arrives (status 0),
   * and `durationMs` is set when the connection ends.
   */
  open?: boolean;
  /** The request body as sent (writes), cut at 16 KiB. */
  body?: string;
}

type Counters = Record<string, number>;

export interface RequestCounters {
  total: number;
  byMember: Counters;
  byMethod: Counters;
  byRoute: Counters;
  byPath: Counters;
  byStatus: Counters;
}

const KEEP = 5000;

export class RequestLog {
  private entries: LoggedRequest[] = [];
  private seq = 0;
  private counters = noCounters();

  record(entry: Omit<LoggedRequest, 'seq' | 'route'>): LoggedRequest {
    const route = entry.path.replace(/\/\d+(?=\/|$)/g, '/{id}');
    const full: LoggedRequest = { ...entry, seq: ++this.seq, route };
    this.entries.push(full);
    if (this.entries.length > KEEP * 2) this.entries = this.entries.slice(-KEEP);
    const c = this.counters;
    c.total++;
    bump(c.byMember, entry.member || '(anonymous)');
    bump(c.byMethod, entry.method);
    bump(c.byRoute, `${entry.method} ${route}`);
    bump(c.byPath, route);
    bump(c.byStatus, String(entry.status));
    return full;
  }

  /** The last requests (up to 5,000) after `since` (a seq), and counters since the last clear. */
  snapshot(since = 0): { requests: LoggedRequest[]; counters: RequestCounters } {
    return { requests: this.entries.filter((e) => e.seq > since).slice(-KEEP), counters: this.counters };
  }

  clear(): void {
    this.entries = [];
    this.counters = noCounters();
  }
}

function noCounters(): RequestCounters {
  return { total: 0, byMember: {}, byMethod: {}, byRoute: {}, byPath: {}, byStatus: {} };
}

function bump(counters: Counters, key: string): void {
  counters[key] = (counters[key] ?? 0) + 1;
}
