/**
 * Octavia (v2) calls the product makes: version discovery (tags exist from API 2.5; before that Kuryr wrote
 * the cluster tag into `description`), load balancers listed by tags, name, description or project (every
 * page), read, deleted with `cascade`, and waited for: a delete is asynchronous (PENDING_DELETE, then gone).
 * Changes to a load balancer in PENDING_* get 409; the session repeats those (retry.ts).
 */
import { z } from "zod";
import { CliError } from "../errors.ts";
import { ExitCode } from "../exit_codes.ts";
import { isNotFound, isPendingDeleteConflict } from "./errors.ts";
import type { DeleteOutcome } from "./neutron.ts";
import type { Sleep } from "./retry.ts";
import type { ListOptions, OpenStackSession, Query } from "./session.ts";
import { hasTagFilters, matchesTagFilters, TAG_FILTER_KEYS } from "./tags.ts";

const str = z.string().optional();
const ref = z.array(z.looseObject({ id: z.string() })).default([]);

export const LoadBalancerSchema = z.looseObject({
  id: z.string(),
  name: z.string().nullish().transform((v) => v ?? ""),
  description: z.string().nullish(),
  provisioning_status: z.string(),
  operating_status: str,
  vip_address: z.string().nullish(),
  vip_port_id: z.string().nullish(),
  vip_subnet_id: z.string().nullish(),
  vip_network_id: z.string().nullish(),
  project_id: str,
  provider: str,
  /** Absent before API 2.5. */
  tags: z.array(z.string()).optional(),
  listeners: ref,
  pools: ref,
  created_at: z.string().nullish(),
  updated_at: z.string().nullish(),
});
export type LoadBalancer = z.infer<typeof LoadBalancerSchema>;

const VersionsSchema = z.looseObject({
  versions: z.array(z.looseObject({ id: z.string(), status: str })),
});

/** What version discovery found. */
export interface OctaviaVersions {
  /** Every version listed, e.g. ["v2.0", …, "v2.27"]. */
  ids: string[];
  /** The highest, as [major, minor]. */
  max: [number, number];
  /** The highest, as listed ("v2.27"). */
  maxId: string;
  /** API ≥ 2.5: load balancers have `tags` and the list filters by them. */
  supportsTags: boolean;
}

/** Octavia list filters under Octavia's names; tag filters need API ≥ 2.5. */
export interface LoadBalancerFilters {
  tags?: readonly string[];
  "tags-any"?: readonly string[];
  "not-tags"?: readonly string[];
  "not-tags-any"?: readonly string[];
  name?: string;
  description?: string;
  project_id?: string;
  provisioning_status?: string;
  vip_subnet_id?: string;
  vip_network_id?: string;
  [attribute: string]: string | readonly string[] | undefined;
}

/** "v2.27" → [2, 27]. */
export function parseVersionId(id: string): [number, number] | undefined {
  const m = /^v?(\d+)(?:\.(\d+))?$/.exec(id);
  return m ? [Number(m[1]), Number(m[2] ?? 0)] : undefined;
}

const atLeast = (v: [number, number], min: [number, number]) => v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);

/** A tag filter on an Octavia that has no tags would be ignored: every load balancer would match. */
export class OctaviaTagsUnsupportedError extends CliError {
  constructor(cloud: string, readonly version: string) {
    super(
      `Octavia of cloud ${cloud} speaks API ${version}; tags need 2.5, so a tag filter would match every load balancer.`,
      ExitCode.RuntimeError,
      "On such clouds Kuryr wrote the cluster tag into the load balancers' description: filter by description.",
    );
  }
}

/** A load balancer was not deleted in time, or went to ERROR. */
export class LoadBalancerDeleteError extends CliError {
  constructor(message: string, readonly loadBalancer: LoadBalancer | undefined, hint: string) {
    super(message, ExitCode.Failed, hint);
  }
}

export interface WaitOptions {
  /** Between reads (default 2000 ms). */
  intervalMs?: number;
  /** Give up after this much waiting, counted in requested sleep milliseconds (default 600 000). */
  timeoutMs?: number;
}

export class Octavia {
  private versionsCache?: Promise<OctaviaVersions>;

  constructor(private readonly session: OpenStackSession, private readonly sleep: Sleep) {}

  /** Version discovery at Octavia's root (`GET /` of the endpoint without `/v2`); cached. */
  versions(): Promise<OctaviaVersions> {
    this.versionsCache ??= this.discover().catch((err) => {
      this.versionsCache = undefined;
      throw err;
    });
    return this.versionsCache;
  }

  private async discover(): Promise<OctaviaVersions> {
    const ep = await this.session.endpoint("load-balancer");
    const root = new URL(ep.baseUrl.replace(/\/v2(\.0)?$/, "") + "/");
    const answer = await this.session.requestUrl("load-balancer", "GET", root);
    const doc = this.session.parse("load-balancer", "GET", answer, VersionsSchema);
    const parsed = doc.versions
      .map((v) => ({ id: v.id, v: parseVersionId(v.id) }))
      .filter((x): x is { id: string; v: [number, number] } => x.v !== undefined && x.v[0] === 2);
    if (parsed.length === 0) {
      return { ids: doc.versions.map((v) => v.id), max: [2, 0], maxId: "v2.0", supportsTags: false };
    }
    const best = parsed.reduce((a, b) => atLeast(b.v, a.v) ? b : a);
    const result: OctaviaVersions = {
      ids: parsed.map((x) => x.id),
      max: best.v,
      maxId: best.id,
      supportsTags: atLeast(best.v, [2, 5]),
    };
    this.session.debug(
      4,
      `Octavia API up to ${result.maxId}; tags ${result.supportsTags ? "supported" : "unsupported"}`,
    );
    return result;
  }

  async supportsTags(): Promise<boolean> {
    return (await this.versions()).supportsTags;
  }

  /**
   * Load balancers matching the filters, every page. With a tag filter the API version is checked first
   * (OctaviaTagsUnsupportedError below 2.5) and the tags are checked here too.
   */
  async listLoadBalancers(filters: LoadBalancerFilters = {}, opts: ListOptions = {}): Promise<LoadBalancer[]> {
    const tagged = hasTagFilters(filters);
    if (tagged) {
      const v = await this.versions();
      if (!v.supportsTags) throw new OctaviaTagsUnsupportedError(this.session.cloud.name, v.maxId);
    }
    const q: Query = {};
    for (const [k, v] of Object.entries(filters)) {
      if (v === undefined) continue;
      q[k] = (TAG_FILTER_KEYS as readonly string[]).includes(k) && typeof v !== "string" ? v.join(",") : v;
    }
    const items = await this.session.list(
      "load-balancer",
      "/lbaas/loadbalancers",
      "loadbalancers",
      LoadBalancerSchema,
      q,
      opts,
    );
    if (!tagged) return items;
    const kept = items.filter((lb) => matchesTagFilters(lb.tags ?? [], filters));
    if (kept.length < items.length) {
      this.session.debug(
        2,
        `Octavia returned ${items.length - kept.length} load balancers outside the tag filter; ignoring them`,
      );
    }
    return kept;
  }

  /** One load balancer; undefined on 404. */
  async getLoadBalancer(id: string): Promise<LoadBalancer | undefined> {
    try {
      const doc = await this.session.json(
        "load-balancer",
        "GET",
        `/lbaas/loadbalancers/${encodeURIComponent(id)}`,
        z.looseObject({ loadbalancer: LoadBalancerSchema }),
      );
      return doc.loadbalancer;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /**
   * Starts deleting a load balancer (`cascade`: with its listeners, pools and members); Octavia answers 204
   * and deletes asynchronously (waitForLoadBalancerDeleted). A 409 while PENDING_CREATE/UPDATE is retried by
   * the session; one because it is PENDING_DELETE already is "already-deleting".
   */
  async deleteLoadBalancer(id: string, opts: { cascade?: boolean } = {}): Promise<DeleteOutcome | "already-deleting"> {
    try {
      await this.session.request("load-balancer", "DELETE", `/lbaas/loadbalancers/${encodeURIComponent(id)}`, {
        query: opts.cascade ? { cascade: "true" } : undefined,
      });
      return "deleted";
    } catch (err) {
      if (isNotFound(err)) return "not-found";
      if (isPendingDeleteConflict(err)) return "already-deleting";
      throw err;
    }
  }

  /** Polls until the load balancer is gone (404 or DELETED); LoadBalancerDeleteError on ERROR or timeout. */
  async waitForLoadBalancerDeleted(id: string, opts: WaitOptions = {}): Promise<void> {
    const interval = opts.intervalMs ?? 2_000;
    const timeout = opts.timeoutMs ?? 600_000;
    let waited = 0;
    for (;;) {
      const lb = await this.getLoadBalancer(id);
      if (!lb || lb.provisioning_status === "DELETED") return;
      if (lb.provisioning_status === "ERROR") {
        throw new LoadBalancerDeleteError(
          `Load balancer ${
            lb.name || id
          } (${id}) of cloud ${this.session.cloud.name} went to ERROR while being deleted.`,
          lb,
          `Delete it again (\`openstack loadbalancer delete --cascade ${id}\`), or ask the cloud administrator to ` +
            "check Octavia.",
        );
      }
      if (waited >= timeout) {
        throw new LoadBalancerDeleteError(
          `Load balancer ${lb.name || id} (${id}) of cloud ${this.session.cloud.name} is still ` +
            `${lb.provisioning_status} after ${Math.round(waited / 1000)} s.`,
          lb,
          "Octavia may be slow or stuck; check `openstack loadbalancer show " + id + "` and run the command again.",
        );
      }
      await this.sleep(interval);
      waited += interval;
    }
  }
}
