/**
 * The request log: what reached the simulated Director, for tests that assert exact call counts
 * and bytes downloaded. Control-endpoint calls are never recorded, so asking the log does not
 * change it.
 */

export interface RequestRecord {
  /** 1-based arrival order. */
  seq: number;
  /** Epoch ms on the simulator's clock. */
  time: number;
  method: string;
  /** The path as sent (percent-encoding kept), e.g. `/tasks/12/output`; no query. */
  path: string;
  /** The query string without `?` ("" when none), e.g. `type=event`. */
  query: string;
  /** The authenticated user name, or `-` when the request carried no valid credentials. */
  user: string;
  /** Status sent; null when the connection was reset before an answer. */
  status: number | null;
  /** Body bytes written to the socket. */
  bytes: number;
  /** The fault injected into this request, if any. */
  fault?: 'error' | 'reset';
}

export interface RequestFilter {
  method?: string;
  /** Exact path, or a RegExp tested against the path. */
  path?: string | RegExp;
  /** Paths starting with this. */
  pathPrefix?: string;
  user?: string;
  /** Exact query string. */
  query?: string;
}

function matches(r: RequestRecord, f: RequestFilter): boolean {
  if (f.method !== undefined && r.method !== f.method.toUpperCase()) return false;
  if (f.user !== undefined && r.user !== f.user) return false;
  if (f.query !== undefined && r.query !== f.query) return false;
  if (f.pathPrefix !== undefined && !r.path.startsWith(f.pathPrefix)) return false;
  if (f.path !== undefined) {
    if (typeof f.path === 'string' ? r.path !== f.path : !f.path.test(r.path)) return false;
  }
  return true;
}

export class RequestLog {
  private records: RequestRecord[] = [];
  private seq = 0;

  start(entry: Omit<RequestRecord, 'seq' | 'status' | 'bytes'>): RequestRecord {
    this.seq += 1;
    const record: RequestRecord = { seq: this.seq, ...entry, status: null, bytes: 0 };
    this.records.push(record);
    return record;
  }

  list(filter: RequestFilter = {}): RequestRecord[] {
    return this.records.filter((r) => matches(r, filter)).map((r) => ({ ...r }));
  }

  count(filter: RequestFilter = {}): number {
    return this.records.filter((r) => matches(r, filter)).length;
  }

  bytes(filter: RequestFilter = {}): number {
    return this.records.filter((r) => matches(r, filter)).reduce((sum, r) => sum + r.bytes, 0);
  }

  /** Counts grouped by "METHOD path" (handy in failure messages). */
  summary(filter: RequestFilter = {}): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.records) {
      if (!matches(r, filter)) continue;
      const key = `${r.method} ${r.path}`;
      out[key] = (out[key] ?? 0) + 1;
    }
    return out;
  }

  reset(): void {
    this.records = [];
  }
}
