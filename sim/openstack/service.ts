/** What a simulated OpenStack service receives and returns for one request. */
import type { RegionCloud } from "./cloud.ts";
import type { Token } from "./keystone.ts";

export interface ServiceRequest {
  method: string;
  /** The path inside the service, e.g. `/v2.0/networks/<id>` (no region or service prefix). */
  path: string;
  /** The whole request URL, with the host the client used. */
  url: URL;
  /** `https://127.0.0.1:PORT` */
  origin: string;
  /** The region/interface/service prefix the request came through, e.g. `/RegionTwo/network`. */
  prefix: string;
  headers: Headers;
  // deno-lint-ignore no-explicit-any
  body: any;
  token: Token;
  isAdmin: boolean;
  region: RegionCloud;
}

export interface ServiceResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Simulated `created_at`/`updated_at` values: whole seconds, `Z`. */
export const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
