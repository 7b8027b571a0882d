/** Endpoint selection from literal Keystone v3 catalogs, the versioned base URLs, and the errors' wording. */
import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors.ts";
import { ExitCode } from "../../lib/exit_codes.ts";
import { type CatalogService, normalizeAuthUrl, selectEndpoint, serviceBaseUrl } from "../../lib/openstack/catalog.ts";

const ep = (iface: string, region: string, url: string, legacy = false) =>
  legacy ? { interface: iface, region, url } : { interface: iface, region_id: region, region, url };

const CATALOG: CatalogService[] = [
  {
    type: "identity",
    endpoints: [ep("public", "RegionOne", "https://api.example.com/identity")],
  },
  {
    type: "network",
    name: "neutron",
    endpoints: [
      ep("public", "RegionOne", "https://api.example.com:9696/"),
      ep("internal", "RegionOne", "http://10.0.0.5:9696"),
      ep("public", "RegionTwo", "https://r2.example.com/network/v2.0"),
    ],
  },
  {
    type: "load-balancer",
    endpoints: [ep("public", "RegionOne", "https://api.example.com:9876"), ep("internal", "RegionOne", "http://lb")],
  },
  {
    type: "compute",
    endpoints: [
      ep("public", "RegionOne", "https://api.example.com:8774/v2.1/0123abcd", true),
      ep("public", "RegionTwo", "https://r2.example.com/compute"),
    ],
  },
];

function select(service: "identity" | "network" | "load-balancer" | "compute", iface = "public", regionName?: string) {
  return selectEndpoint(CATALOG, {
    cloud: "mycloud",
    service,
    interface: iface,
    regionName,
    fixWhere: "for cloud mycloud in /c.yaml",
  });
}

function refusal(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    assert.equal(err.exitCode, ExitCode.UsageError);
    return err;
  }
  throw new Error("expected a ConfigError");
}

Deno.test("by type, interface and region; the first region when none is set", () => {
  assert.equal(select("network").baseUrl, "https://api.example.com:9696/v2.0");
  assert.equal(select("network").region, "RegionOne");
  assert.equal(select("network", "internal").baseUrl, "http://10.0.0.5:9696/v2.0");
  assert.equal(select("network", "public", "RegionTwo").baseUrl, "https://r2.example.com/network/v2.0");
  assert.equal(select("load-balancer").baseUrl, "https://api.example.com:9876/v2");
  // The older `region` field alone is matched too.
  assert.equal(select("compute", "public", "RegionOne").baseUrl, "https://api.example.com:8774/v2.1/0123abcd");
  assert.equal(select("compute", "public", "RegionTwo").baseUrl, "https://r2.example.com/compute/v2.1");
  assert.equal(select("identity").baseUrl, "https://api.example.com/identity/v3");
  // A v2-style "publicURL" in the catalog matches "public".
  const legacy = [{ type: "network", endpoints: [{ interface: "publicURL", region: "R", url: "http://n" }] }];
  assert.equal(
    selectEndpoint(legacy, { cloud: "c", service: "network", interface: "public" }).baseUrl,
    "http://n/v2.0",
  );
});

Deno.test("versioned base URLs: /v2.0 for Neutron, /v2 for Octavia, /v2.1 for Nova, unless already there", () => {
  assert.equal(serviceBaseUrl("network", "https://h/network"), "https://h/network/v2.0");
  assert.equal(serviceBaseUrl("network", "https://h/network/v2.0/"), "https://h/network/v2.0");
  assert.equal(serviceBaseUrl("load-balancer", "https://h/load-balancer"), "https://h/load-balancer/v2");
  assert.equal(serviceBaseUrl("load-balancer", "https://h:9876/v2.0"), "https://h:9876/v2.0");
  assert.equal(serviceBaseUrl("load-balancer", "https://h:9876/v2/"), "https://h:9876/v2");
  assert.equal(serviceBaseUrl("compute", "https://h:8774/v2.1"), "https://h:8774/v2.1");
  assert.equal(serviceBaseUrl("compute", "https://h:8774/v2/abc"), "https://h:8774/v2/abc");
  assert.equal(serviceBaseUrl("compute", "https://h/compute"), "https://h/compute/v2.1");
});

Deno.test("auth_url with or without /v3", () => {
  assert.equal(normalizeAuthUrl("https://k:5000"), "https://k:5000/v3");
  assert.equal(normalizeAuthUrl("https://k:5000/"), "https://k:5000/v3");
  assert.equal(normalizeAuthUrl("https://k:5000/v3"), "https://k:5000/v3");
  assert.equal(normalizeAuthUrl("https://k/identity/v3/"), "https://k/identity/v3");
});

Deno.test("no endpoint in the region: names the service, region, cloud, the regions that have it, and the fix", () => {
  const err = refusal(() => select("load-balancer", "public", "RegionTwo"));
  assert.equal(
    err.message,
    "No `load-balancer` endpoint in region RegionTwo of cloud mycloud (the catalog has it in: RegionOne).",
  );
  assert.equal(err.hint, "Set region_name for cloud mycloud in /c.yaml to one of: RegionOne.");
});

Deno.test("no endpoint for the interface, and no such service at all", () => {
  const iface = refusal(() => select("load-balancer", "admin", "RegionOne"));
  assert.equal(
    iface.message,
    "No admin `load-balancer` endpoint in region RegionOne of cloud mycloud (interfaces there: public, internal).",
  );
  assert.equal(iface.hint, "Set interface for cloud mycloud in /c.yaml to one of: public, internal.");
  const missing = refusal(() =>
    selectEndpoint(CATALOG.filter((s) => s.type !== "load-balancer"), {
      cloud: "mycloud",
      service: "load-balancer",
      interface: "public",
    })
  );
  assert.equal(
    missing.message,
    "The service catalog of cloud mycloud has no `load-balancer` service (Octavia); it lists: compute, identity, network.",
  );
  assert.ok(missing.hint?.includes("openstack --os-cloud mycloud catalog list"));
});
