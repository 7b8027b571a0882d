/**
 * Nova (v2.1) calls the product makes: servers listed (Nova's `name` filter is a regular expression;
 * `detail` for status and task state), read, and rebooted (SOFT or HARD). A reboot is a POST action that
 * is never repeated after a 5xx or a broken connection: the node may already be rebooting, and a second
 * reboot would take it down again (retry.ts); a 409 (`conflictingRequest`: a reboot already under way) is
 * the caller's.
 */
import { z } from "zod";
import { isNotFound } from "./errors.ts";
import type { ListOptions, OpenStackSession, Query } from "./session.ts";

export const ServerSchema = z.looseObject({
  id: z.string(),
  name: z.string().default(""),
  status: z.string().optional(),
  "OS-EXT-STS:task_state": z.string().nullish(),
  "OS-EXT-STS:vm_state": z.string().nullish(),
  "OS-EXT-STS:power_state": z.number().nullish(),
  tenant_id: z.string().optional(),
  addresses: z.record(z.string(), z.array(z.looseObject({ addr: z.string(), version: z.number().optional() })))
    .optional(),
  metadata: z.record(z.string(), z.string()).optional(),
  created: z.string().optional(),
  updated: z.string().optional(),
});
export type Server = z.infer<typeof ServerSchema>;

export type RebootType = "SOFT" | "HARD";

/** Nova list filters under Nova's names (`name` and `ip` are regular expressions). */
export interface ServerFilters {
  name?: string;
  status?: string;
  all_tenants?: boolean;
  [filter: string]: string | boolean | undefined;
}

/** A Nova `name` filter matching names that start with `prefix` (the regex metacharacters escaped). */
export function namePrefixRegex(prefix: string): string {
  return "^" + prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

export class Nova {
  constructor(private readonly session: OpenStackSession) {}

  /** Servers matching the filters, every page; `detail` (default true) for status and task state. */
  listServers(filters: ServerFilters = {}, opts: ListOptions & { detail?: boolean } = {}): Promise<Server[]> {
    const q: Query = {};
    for (const [k, v] of Object.entries(filters)) {
      if (v === undefined) continue;
      q[k] = typeof v === "boolean" ? (v ? "1" : "0") : v;
    }
    const path = opts.detail === false ? "/servers" : "/servers/detail";
    return this.session.list("compute", path, "servers", ServerSchema, q, opts);
  }

  /** One server; undefined on 404. */
  async getServer(id: string): Promise<Server | undefined> {
    try {
      const doc = await this.session.json(
        "compute",
        "GET",
        `/servers/${encodeURIComponent(id)}`,
        z.looseObject({ server: ServerSchema }),
      );
      return doc.server;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Asks Nova to reboot a server (202: accepted; the reboot happens asynchronously). */
  async rebootServer(id: string, type: RebootType = "SOFT"): Promise<void> {
    await this.session.request("compute", "POST", `/servers/${encodeURIComponent(id)}/action`, {
      body: { reboot: { type } },
      safeToRepeat: false,
    });
  }
}
