/**
 * Neutron's and Octavia's tag filters, evaluated here as well as by the service: a service that does not
 * know a filter may ignore it and answer with everything (Octavia before API 2.5, Neutron without the tag
 * extension), and a clean-up must never act on resources it did not ask for.
 */

export interface TagFilters {
  /** Every one of these tags. */
  tags?: readonly string[];
  /** At least one of these. */
  "tags-any"?: readonly string[];
  /** Not all of these. */
  "not-tags"?: readonly string[];
  /** None of these. */
  "not-tags-any"?: readonly string[];
}

export const TAG_FILTER_KEYS = ["tags", "tags-any", "not-tags", "not-tags-any"] as const;

export function hasTagFilters(filters: object): boolean {
  const f = filters as Record<string, unknown>;
  return TAG_FILTER_KEYS.some((k) => {
    const v = f[k];
    return typeof v === "string" ? v !== "" : Array.isArray(v) && v.length > 0;
  });
}

const asList = (v: unknown): readonly string[] | undefined =>
  typeof v === "string" ? (v === "" ? undefined : v.split(",")) : Array.isArray(v) && v.length ? v : undefined;

/** Whether a resource's tags satisfy the filters (filters absent = match). */
export function matchesTagFilters(tags: readonly string[], filters: object): boolean {
  const f = filters as Record<string, unknown>;
  const have = new Set(tags);
  const all = asList(f.tags);
  const any = asList(f["tags-any"]);
  const notAll = asList(f["not-tags"]);
  const notAny = asList(f["not-tags-any"]);
  if (all && !all.every((t) => have.has(t))) return false;
  if (any && !any.some((t) => have.has(t))) return false;
  if (notAll && notAll.every((t) => have.has(t))) return false;
  if (notAny && notAny.some((t) => have.has(t))) return false;
  return true;
}
