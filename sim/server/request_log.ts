/**
 * Every API request the simulator answered, for tests and benchmarks (issue 3 item 6). Benchmarks log
 * ~100k requests, so recording is an append plus a constant-time update of the running summary.
 */

export interface RequestRecord {
  at: number;
  user: string;
  verb: string;
  method: string;
  path: string;
  apiGroup: string;
  resource: string;
  subresource?: string;
  namespace?: string;
  name?: string;
  code: number;
  bytesIn: number;
  bytesOut: number;
  ms: number;
  userAgent?: string;
  query?: string;
}

export interface RequestSummary {
  total: number;
  /** create/update/patch/delete/deletecollection, exec excluded. */
  writes: number;
  bytesIn: number;
  bytesOut: number;
  byVerb: Record<string, number>;
  /** Keyed "pods", "pods/exec", "networks.config.openshift.io", "nodes/status"; non-resource requests by path. */
  byResource: Record<string, { count: number; bytesOut: number }>;
}

const WRITE_VERBS = new Set(["create", "update", "patch", "delete", "deletecollection"]);

/** A write changes stored objects; exec is a "create" on pods/exec but changes nothing stored. */
/** Access reviews are "create"s that store nothing either. */
const REVIEW_GROUPS = new Set(["authorization.k8s.io", "authentication.k8s.io"]);

export function isWrite(r: Pick<RequestRecord, "verb" | "subresource"> & { apiGroup?: string }): boolean {
  return WRITE_VERBS.has(r.verb) && r.subresource !== "exec" && !REVIEW_GROUPS.has(r.apiGroup ?? "");
}

/** The summary key of a request's resource. */
export function resourceLabel(r: Pick<RequestRecord, "apiGroup" | "resource" | "subresource" | "path">): string {
  if (!r.resource) return r.path.split("?", 1)[0];
  const base = r.apiGroup ? `${r.resource}.${r.apiGroup}` : r.resource;
  return r.subresource ? `${base}/${r.subresource}` : base;
}

export class RequestLog {
  #records: RequestRecord[] = [];
  #writes: RequestRecord[] = [];
  #summary: RequestSummary = emptySummary();

  record(r: RequestRecord): void {
    this.#records.push(r);
    const s = this.#summary;
    s.total++;
    s.bytesIn += r.bytesIn;
    s.bytesOut += r.bytesOut;
    s.byVerb[r.verb] = (s.byVerb[r.verb] ?? 0) + 1;
    const key = resourceLabel(r);
    const entry = s.byResource[key] ??= { count: 0, bytesOut: 0 };
    entry.count++;
    entry.bytesOut += r.bytesOut;
    if (isWrite(r)) {
      s.writes++;
      this.#writes.push(r);
    }
  }

  records(filter?: Partial<Pick<RequestRecord, "verb" | "resource" | "user">>): readonly RequestRecord[] {
    if (!filter) return this.#records;
    const entries = Object.entries(filter).filter(([, v]) => v !== undefined) as [keyof RequestRecord, string][];
    if (entries.length === 0) return this.#records;
    return this.#records.filter((r) => entries.every(([k, v]) => r[k] === v));
  }

  /** create/update/patch/delete/deletecollection requests; exec (a create on pods/exec) is not a write. */
  writes(): readonly RequestRecord[] {
    return this.#writes;
  }

  /** A snapshot copy of the running totals. */
  summary(): RequestSummary {
    const s = this.#summary;
    const byResource: RequestSummary["byResource"] = {};
    for (const [k, v] of Object.entries(s.byResource)) byResource[k] = { ...v };
    return { ...s, byVerb: { ...s.byVerb }, byResource };
  }

  clear(): void {
    this.#records = [];
    this.#writes = [];
    this.#summary = emptySummary();
  }
}

function emptySummary(): RequestSummary {
  return { total: 0, writes: 0, bytesIn: 0, bytesOut: 0, byVerb: {}, byResource: {} };
}
