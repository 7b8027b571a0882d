/**
 * Authenticated calls to the cloud's services: the token on every request (renewed before it expires and
 * once after a 401, then the 401 is the caller's), the endpoint from the token's catalog, JSON answers
 * checked against zod schemas, and lists followed through every `<collection>_links` `rel: next` page
 * (Neutron, Octavia and Nova all paginate that way).
 */
import { z } from "zod";
import { type SelectedEndpoint, selectEndpoint } from "./catalog.ts";
import type { CloudConfig } from "./cloud_config.ts";
import { invalidResponse, OpenStackError, type ServiceType } from "./errors.ts";
import type { HttpAnswer, HttpCaller } from "./http.ts";
import type { KeystoneAuth, Token } from "./keystone.ts";
import type { OpenStackLogger, SecretMask } from "./log.ts";

/** Query parameters; an array repeats the key (Neutron's OR filters, `fields`). */
export type QueryValue = string | number | boolean | readonly string[] | undefined;
export type Query = Record<string, QueryValue>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** Override the method's default (GET/HEAD/PUT/DELETE may be repeated after a 5xx, POST not; see retry.ts). */
  safeToRepeat?: boolean;
}

export interface ListOptions {
  /** Page size (`limit`); absent = the service's default page size. */
  pageSize?: number;
  /** Stop after this many pages (a guard against a service that keeps sending the same next link). */
  maxPages?: number;
}

const LinkSchema = z.looseObject({ rel: z.string(), href: z.string() });

/** Every value of `query` on `url`; arrays repeat the key. */
export function applyQuery(url: URL, query: Query | undefined): void {
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v === undefined) continue;
    if (Array.isArray(v)) { for (const x of v) url.searchParams.append(k, x); }
    else url.searchParams.append(k, String(v));
  }
}

/** The parameters of a next link, keeping any filter of the first request the link leaves out. */
export function nextQuery(href: string, base: Query | undefined): Query {
  const link = new URL(href, "http://placeholder/");
  const out: Record<string, string | string[]> = {};
  for (const key of new Set(link.searchParams.keys())) {
    const values = link.searchParams.getAll(key);
    out[key] = values.length === 1 ? values[0] : values;
  }
  for (const [k, v] of Object.entries(base ?? {})) if (!(k in out) && v !== undefined) out[k] = v as string;
  return out;
}

function zodProblem(err: z.ZodError): string {
  const issue = err.issues[0];
  return issue ? `${issue.path.join(".") || "(body)"}: ${issue.message}` : err.message;
}

export class OpenStackSession {
  private endpoints = new Map<ServiceType, SelectedEndpoint>();

  constructor(
    readonly cloud: CloudConfig,
    private readonly http: HttpCaller,
    readonly auth: KeystoneAuth,
    private readonly logger: OpenStackLogger,
    private readonly mask: SecretMask,
  ) {}

  /** A -v line, masked like every other line of this client. */
  debug(level: number, message: string): void {
    if (this.logger.enabled && !this.logger.enabled(level)) return;
    this.logger.debug(level, this.mask.apply(message));
  }

  /** The endpoint of a service (authenticating first if needed); a ConfigError when the catalog lacks it. */
  async endpoint(service: ServiceType): Promise<SelectedEndpoint> {
    const known = this.endpoints.get(service);
    if (known) return known;
    const token = await this.auth.token();
    const ep = selectEndpoint(token.catalog, {
      cloud: this.cloud.name,
      service,
      interface: this.cloud.interface,
      regionName: this.cloud.regionName,
      fixWhere: `for cloud ${this.cloud.name} in ${this.cloud.source.description}`,
    });
    this.logger.debug(
      4,
      this.mask.apply(`using ${service} endpoint ${ep.baseUrl} (region ${ep.region ?? "any"}, ${ep.interface})`),
    );
    this.endpoints.set(service, ep);
    return ep;
  }

  /** A call relative to a service's versioned base URL (`/networks`, `/lbaas/loadbalancers`, `/servers`). */
  async request(service: ServiceType, method: string, path: string, opts: RequestOptions = {}): Promise<HttpAnswer> {
    const ep = await this.endpoint(service);
    const url = new URL(ep.baseUrl + path);
    applyQuery(url, opts.query);
    return await this.requestUrl(service, method, url, opts);
  }

  /** A call to an absolute URL of a service (Octavia's unversioned root, for one). */
  async requestUrl(service: ServiceType, method: string, url: URL, opts: RequestOptions = {}): Promise<HttpAnswer> {
    const safeToRepeat = opts.safeToRepeat ?? method !== "POST";
    let used: Token | undefined;
    const headers = async () => {
      used = await this.auth.token();
      return { "X-Auth-Token": used.value };
    };
    const call = { service, method, url, body: opts.body, safeToRepeat };
    try {
      return await this.http.call(call, headers);
    } catch (err) {
      if (!(err instanceof OpenStackError) || err.status !== 401 || !used) throw err;
      // The token was revoked or expired early: authenticate again, once.
      this.logger.debug(4, `${service} rejected the token (401); authenticating again`);
      this.auth.invalidate(used.value);
      return await this.http.call(call, headers);
    }
  }

  /** A call whose JSON answer must match `schema` (an empty answer is parsed as undefined). */
  async json<S extends z.ZodType>(
    service: ServiceType,
    method: string,
    path: string,
    schema: S,
    opts: RequestOptions = {},
  ): Promise<z.infer<S>> {
    const answer = await this.request(service, method, path, opts);
    return this.parse(service, method, answer, schema);
  }

  /** A JSON answer checked against `schema`; an invalid-response OpenStackError otherwise. */
  parse<S extends z.ZodType>(service: ServiceType, method: string, answer: HttpAnswer, schema: S): z.infer<S> {
    const info = { cloud: this.cloud.name, service, method, url: answer.url };
    let doc: unknown;
    if (answer.text.trim() !== "") {
      try {
        doc = JSON.parse(answer.text);
      } catch {
        throw invalidResponse(info, answer.status, "the body is not JSON");
      }
    }
    const result = schema.safeParse(doc);
    if (!result.success) throw invalidResponse(info, answer.status, zodProblem(result.error));
    return result.data as z.infer<S>;
  }

  /** Every item of a paginated collection: `{<key>: [...], <key>_links: [{rel: "next", href}]}`, page by page. */
  async list<S extends z.ZodType>(
    service: ServiceType,
    path: string,
    key: string,
    itemSchema: S,
    query: Query = {},
    opts: ListOptions = {},
  ): Promise<z.infer<S>[]> {
    const pageSchema = z.looseObject({
      [key]: z.array(itemSchema),
      [`${key}_links`]: z.array(LinkSchema).optional(),
    });
    const items: z.infer<S>[] = [];
    let q: Query = opts.pageSize ? { ...query, limit: opts.pageSize } : query;
    const seen = new Set<string>();
    const maxPages = opts.maxPages ?? 10_000;
    for (let page = 1;; page++) {
      const doc = await this.json(service, "GET", path, pageSchema, { query: q }) as Record<string, unknown>;
      const batch = doc[key] as z.infer<S>[];
      items.push(...batch);
      const links = (doc[`${key}_links`] ?? []) as z.infer<typeof LinkSchema>[];
      const next = links.find((l) => l.rel === "next")?.href;
      if (!next || batch.length === 0) break;
      // The link's own host may be an internal name behind a proxy: keep our endpoint, take its parameters.
      q = nextQuery(next, query);
      const signature = new URL(next, "http://placeholder/").search;
      if (seen.has(signature) || page >= maxPages) {
        this.logger.debug(2, `${service} sent the same next page link twice for ${path}; stopping at page ${page}`);
        break;
      }
      seen.add(signature);
    }
    return items;
  }

  close(): void {
    this.http.close();
  }
}
