/**
 * Service endpoints from a Keystone v3 token's catalog, chosen as keystoneauth chooses them: by service
 * type, then interface (public by default), then region (`region_id`, or the older `region`; without a
 * region the first endpoint listed). The versioned base URL each service's calls are relative to: Neutron
 * `…/v2.0`, Octavia `…/v2`, Nova `…/v2.1` unless the catalog URL already carries a version, Keystone `…/v3`.
 */
import { z } from "zod";
import { ConfigError } from "../errors.ts";
import { SERVICE_LABEL, type ServiceType } from "./errors.ts";

export const CatalogEndpointSchema = z.looseObject({
  id: z.string().optional(),
  interface: z.string(),
  region: z.string().nullish(),
  region_id: z.string().nullish(),
  url: z.string(),
});
export type CatalogEndpoint = z.infer<typeof CatalogEndpointSchema>;

export const CatalogServiceSchema = z.looseObject({
  id: z.string().optional(),
  type: z.string(),
  name: z.string().optional(),
  endpoints: z.array(CatalogEndpointSchema).default([]),
});
export type CatalogService = z.infer<typeof CatalogServiceSchema>;

export interface EndpointQuery {
  cloud: string;
  service: ServiceType;
  /** public, internal or admin (already normalised). */
  interface: string;
  regionName?: string;
  /** Where the user sets region_name/interface, for the hint ("in /x/clouds.yaml"). */
  fixWhere?: string;
}

export interface SelectedEndpoint {
  service: ServiceType;
  /** The URL the catalog gives. */
  catalogUrl: string;
  /** The versioned base URL calls are made against. */
  baseUrl: string;
  region?: string;
  interface: string;
}

const regionOf = (e: CatalogEndpoint) => e.region_id ?? e.region ?? undefined;
const trimSlash = (url: string) => url.replace(/\/+$/, "");
const uniq = (xs: (string | undefined)[]) => [...new Set(xs.filter((x): x is string => !!x))];

/** `auth_url` as Keystone's v3 root, with or without `/v3` given. */
export function normalizeAuthUrl(authUrl: string): string {
  const url = trimSlash(authUrl);
  return /\/v3$/.test(url) ? url : `${url}/v3`;
}

/** The base URL of a service's API version from its catalog URL. */
export function serviceBaseUrl(service: ServiceType, catalogUrl: string): string {
  const url = trimSlash(catalogUrl);
  switch (service) {
    case "network":
      return /\/v2\.0$/.test(url) ? url : `${url}/v2.0`;
    case "load-balancer":
      return /\/v2(\.0)?$/.test(url) ? url : `${url}/v2`;
    case "compute":
      // Nova's catalog URL is usually …/v2.1 or …/v2.1/<project id>.
      return /\/v2(\.\d+)?(\/[^/]+)?$/.test(url) ? url : `${url}/v2.1`;
    case "identity":
      return normalizeAuthUrl(url);
  }
}

/** The endpoint for a service, or a ConfigError naming the service, the region and the fix. */
export function selectEndpoint(catalog: readonly CatalogService[], q: EndpointQuery): SelectedEndpoint {
  const label = `${q.service} (${SERVICE_LABEL[q.service]})`;
  const fixWhere = q.fixWhere ? ` ${q.fixWhere}` : "";
  const entries = catalog.filter((s) => s.type === q.service);
  if (entries.length === 0) {
    const types = uniq(catalog.map((s) => s.type)).sort();
    throw new ConfigError(
      `The service catalog of cloud ${q.cloud} has no \`${q.service}\` service (${SERVICE_LABEL[q.service]}); ` +
        `it lists: ${types.join(", ") || "nothing"}.`,
      `Check with \`openstack --os-cloud ${q.cloud} catalog list\`; the project may lack access to ${label}.`,
    );
  }
  const endpoints = entries.flatMap((s) => s.endpoints);
  const inRegion = q.regionName ? endpoints.filter((e) => regionOf(e) === q.regionName) : endpoints;
  if (inRegion.length === 0) {
    const regions = uniq(endpoints.map(regionOf));
    throw new ConfigError(
      `No \`${q.service}\` endpoint in region ${q.regionName} of cloud ${q.cloud} (the catalog has it in: ` +
        `${regions.join(", ") || "no region"}).`,
      `Set region_name${fixWhere} to one of: ${regions.join(", ")}.`,
    );
  }
  const match = inRegion.find((e) => e.interface.replace(/URL$/, "") === q.interface);
  if (!match) {
    const ifaces = uniq(inRegion.map((e) => e.interface.replace(/URL$/, "")));
    const where = q.regionName ? ` in region ${q.regionName}` : "";
    throw new ConfigError(
      `No ${q.interface} \`${q.service}\` endpoint${where} of cloud ${q.cloud} (interfaces there: ${
        ifaces.join(", ")
      }).`,
      `Set interface${fixWhere} to one of: ${ifaces.join(", ")}.`,
    );
  }
  return {
    service: q.service,
    catalogUrl: match.url,
    baseUrl: serviceBaseUrl(q.service, match.url),
    region: regionOf(match),
    interface: q.interface,
  };
}
