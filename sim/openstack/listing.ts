/**
 * List queries as Neutron and Octavia answer them: attribute filters (a repeated parameter matches any of its
 * values; `tenant_id` is `project_id`), the tag filters `tags` (all), `tags-any`, `not-tags`, `not-tags-any`
 * (comma-separated or repeated), `fields`, `sort_key`/`sort_dir`, and `limit`/`marker`/`page_reverse`
 * pagination with `<collection>_links`. Neutron: neutron/api/api_common.py (get_pagination_links,
 * PaginationEmulatedHelper); Octavia: octavia/api/common/pagination.py (_make_links, _apply_tags_filtering).
 */
import type { Rec } from "./cloud.ts";
import { neutronBadRequest, octaviaError } from "./errors.ts";

/** Parameters that are not attribute filters. */
const RESERVED = new Set([
  "fields",
  "limit",
  "marker",
  "page_reverse",
  "sort_key",
  "sort_dir",
  "sort",
  "tags",
  "tags-any",
  "not-tags",
  "not-tags-any",
]);

export interface ListOptions {
  /** "neutron" or "octavia": they differ in default order and link rules. */
  flavor: "neutron" | "octavia";
  /** The request URL as the client sent it (links repeat its parameters). */
  url: URL;
  /** The public base of the request path (scheme, host, service prefix), for link hrefs. */
  publicBase: string;
  /** False on Octavia < 2.5: tag filters are unknown arguments. */
  tagsSupported: boolean;
}

export interface ListResult {
  items: Rec[];
  links: { rel: string; href: string }[];
}

const splitTags = (values: string[]) => values.flatMap((v) => v.split(",")).filter((t) => t !== "");

function matches(rec: Rec, key: string, wanted: string[]): boolean {
  if (key === "fixed_ips") {
    // `fixed_ips=ip_address=10.0.0.5` / `fixed_ips=subnet_id=…`: every condition must hold for one address.
    const ips: Rec[] = rec.fixed_ips ?? [];
    return wanted.every((w) => {
      const [k, v] = w.split("=", 2);
      return ips.some((ip) => String(ip[k]) === v);
    });
  }
  const k = key === "tenant_id" ? "project_id" : key;
  if (!(k in rec)) return true; // an attribute the resource does not have: ignored, as Neutron did before filter-validation
  const value = rec[k];
  return wanted.some((w) => {
    if (typeof value === "boolean") return String(value) === w.toLowerCase();
    if (value === null) return w === "" || w === "None";
    if (Array.isArray(value)) return value.map(String).includes(w);
    return String(value) === w;
  });
}

function compare(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined || a === null) return -1;
  if (b === undefined || b === null) return 1;
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a) < String(b) ? -1 : 1;
}

/** Filters, sorts, paginates and projects `items` (already rendered) for one list request. */
export function listQuery(items: Rec[], opts: ListOptions): ListResult {
  const q = opts.url.searchParams;
  const badRequest = (msg: string) =>
    opts.flavor === "neutron" ? neutronBadRequest("resource", msg) : octaviaError(400, msg);

  const tagParams = ["tags", "tags-any", "not-tags", "not-tags-any"].filter((p) => q.has(p));
  if (tagParams.length && !opts.tagsSupported) {
    // Octavia before 2.5 (octavia 3.x pagination.py): unknown filter arguments are refused.
    throw octaviaError(400, "One or more arguments are either duplicate or invalid");
  }
  const all = splitTags(q.getAll("tags"));
  const any = splitTags(q.getAll("tags-any"));
  const notAll = splitTags(q.getAll("not-tags"));
  const notAny = splitTags(q.getAll("not-tags-any"));

  const filters = new Map<string, string[]>();
  for (const [k, v] of q.entries()) {
    if (RESERVED.has(k)) continue;
    filters.set(k, [...(filters.get(k) ?? []), v]);
  }

  let out = items.filter((rec) => {
    for (const [k, vals] of filters) if (!matches(rec, k, vals)) return false;
    const tags: string[] = rec.tags ?? [];
    if (all.length && !all.every((t) => tags.includes(t))) return false;
    if (any.length && !any.some((t) => tags.includes(t))) return false;
    if (notAll.length && notAll.every((t) => tags.includes(t))) return false;
    if (notAny.length && notAny.some((t) => tags.includes(t))) return false;
    return true;
  });

  // Sorting: explicit keys, then the primary key; Octavia's default order is created_at, id descending.
  const sortKeys: { key: string; desc: boolean }[] = [];
  if (opts.flavor === "octavia" && q.get("sort")) {
    for (const part of q.get("sort")!.split(",")) {
      const [key, dir] = part.split(":");
      sortKeys.push({ key, desc: (dir ?? "asc").toLowerCase() === "desc" });
    }
  } else {
    const keys = q.getAll("sort_key");
    const dirs = q.getAll("sort_dir");
    keys.forEach((key, i) => sortKeys.push({ key, desc: (dirs[i] ?? "asc").toLowerCase() === "desc" }));
  }
  const limitRaw = q.get("limit");
  const limit = limitRaw === null ? undefined : Number(limitRaw);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 0)) {
    throw badRequest(`Limit must be an integer 0 or greater and not '${limitRaw}'`);
  }
  const marker = q.get("marker") ?? undefined;
  const pageReverse = (q.get("page_reverse") ?? "").toLowerCase() === "true";
  if (opts.flavor === "octavia" && sortKeys.length === 0) {
    sortKeys.push({ key: "created_at", desc: true }, { key: "id", desc: true });
  }
  if (sortKeys.length || limit || marker) {
    if (!sortKeys.some((s) => s.key === "id")) sortKeys.push({ key: "id", desc: false });
    out = [...out].sort((a, b) => {
      for (const s of sortKeys) {
        const c = compare(a[s.key], b[s.key]);
        if (c !== 0) return s.desc ? -c : c;
      }
      return 0;
    });
  }

  let links: ListResult["links"] = [];
  if (limit) {
    let start = 0;
    let page: Rec[];
    if (marker) {
      const i = out.findIndex((r) => r.id === marker);
      if (i < 0) {
        if (opts.flavor === "octavia") throw octaviaError(404, `Marker ${marker} could not be found.`);
        page = [];
      } else page = pageReverse ? out.slice(Math.max(i - limit, 0), i) : out.slice(i + 1, i + 1 + limit);
    } else {
      start = pageReverse ? Math.max(out.length - limit, 0) : 0;
      page = out.slice(start, start + limit);
    }
    links = pageLinks(page, limit, marker, pageReverse, opts);
    out = page;
  }

  const fields = q.getAll("fields").flatMap((f) => f.split(",")).filter(Boolean);
  if (fields.length) {
    out = out.map((r) => Object.fromEntries(fields.filter((f) => f in r).map((f) => [f, r[f]])));
  }
  return { items: out, links };
}

function pageLinks(
  page: Rec[],
  limit: number,
  marker: string | undefined,
  pageReverse: boolean,
  opts: ListOptions,
): ListResult["links"] {
  const href = (m: string | undefined, reverse: boolean) => {
    const p = new URLSearchParams(opts.url.searchParams);
    p.delete("marker");
    p.delete("page_reverse");
    if (m) p.set("marker", m);
    if (reverse) p.set("page_reverse", "True");
    return `${opts.publicBase}${opts.url.pathname}?${p.toString()}`;
  };
  const links: ListResult["links"] = [];
  if (opts.flavor === "neutron") {
    if (!(page.length < limit && !pageReverse)) {
      links.push({ rel: "next", href: href(page.at(-1)?.id ?? marker, false) });
    }
    if (!(page.length < limit && pageReverse)) links.push({ rel: "previous", href: href(page[0]?.id ?? marker, true) });
    return links;
  }
  if (marker && page.length) links.push({ rel: "previous", href: href(page[0].id, true) });
  if (page.length >= limit) links.push({ rel: "next", href: href(page.at(-1)!.id, false) });
  return links;
}
