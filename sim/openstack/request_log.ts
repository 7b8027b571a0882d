/**
 * Every request the simulated OpenStack answered: records and running counts per service, method, path
 * (resource ids replaced by `{id}`) and bytes. Like the Kubernetes request log, recording is an append plus
 * constant-time updates of the summary. Tokens and bodies are never recorded.
 */

export interface OpenStackRequestRecord {
  /** Real epoch milliseconds. */
  at: number;
  /** identity, network, load-balancer, compute, image, or "" for unknown paths. */
  service: string;
  region: string;
  interface: "public" | "internal";
  method: string;
  /** The path inside the service, e.g. `/v2.0/ports/<id>`. */
  path: string;
  query?: string;
  status: number;
  bytesIn: number;
  bytesOut: number;
  ms: number;
  /** The authenticated user's name, when the request carried a valid token. */
  user?: string;
  userAgent?: string;
}

export interface OpenStackRequestSummary {
  total: number;
  bytesIn: number;
  bytesOut: number;
  byService: Record<string, number>;
  byMethod: Record<string, number>;
  /** Keyed `"<service> <METHOD> <path template>"`, e.g. `"network DELETE /v2.0/ports/{id}"`. */
  byPath: Record<string, { count: number; bytesIn: number; bytesOut: number }>;
  byStatus: Record<string, number>;
}

const ID = /\/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[0-9a-f]{32})(?=\/|$)/g;

/** The path with resource ids replaced by `{id}`. */
export const pathTemplate = (path: string) => path.replace(ID, "/{id}");

export class OpenStackRequestLog {
  #records: OpenStackRequestRecord[] = [];
  #summary = empty();

  record(r: OpenStackRequestRecord): void {
    this.#records.push(r);
    const s = this.#summary;
    s.total++;
    s.bytesIn += r.bytesIn;
    s.bytesOut += r.bytesOut;
    s.byService[r.service] = (s.byService[r.service] ?? 0) + 1;
    s.byMethod[r.method] = (s.byMethod[r.method] ?? 0) + 1;
    s.byStatus[String(r.status)] = (s.byStatus[String(r.status)] ?? 0) + 1;
    const key = `${r.service} ${r.method} ${pathTemplate(r.path)}`;
    const e = s.byPath[key] ??= { count: 0, bytesIn: 0, bytesOut: 0 };
    e.count++;
    e.bytesIn += r.bytesIn;
    e.bytesOut += r.bytesOut;
  }

  /** Records, optionally only those matching every given field. */
  records(
    filter: Partial<Pick<OpenStackRequestRecord, "service" | "method" | "region" | "user">> = {},
  ): readonly OpenStackRequestRecord[] {
    const entries = Object.entries(filter).filter(([, v]) => v !== undefined) as [
      keyof OpenStackRequestRecord,
      string,
    ][];
    if (!entries.length) return this.#records;
    return this.#records.filter((r) => entries.every(([k, v]) => r[k] === v));
  }

  /** A snapshot copy of the running totals. */
  summary(): OpenStackRequestSummary {
    return structuredClone(this.#summary);
  }

  clear(): void {
    this.#records = [];
    this.#summary = empty();
  }
}

function empty(): OpenStackRequestSummary {
  return { total: 0, bytesIn: 0, bytesOut: 0, byService: {}, byMethod: {}, byPath: {}, byStatus: {} };
}
