/**
 * The request layer against a minimal fake OpenStack whose every answer the test controls: token reuse and
 * renewal, 401 handling, retries by method, Retry-After, timeouts, pagination through next links, and the
 * `-v` output with nothing secret in it.
 */
import assert from "node:assert/strict";
import { createLogger } from "../../lib/cli/logger.ts";
import { createMemoryIo } from "../../lib/cli/io.ts";
import type { CliError } from "../../lib/errors.ts";
import { ExitCode } from "../../lib/exit_codes.ts";
import { createOpenStackClient, type OpenStackClientOptions } from "../../lib/openstack/client.ts";
import { normalizeCloud } from "../../lib/openstack/cloud_config.ts";
import { OpenStackError } from "../../lib/openstack/errors.ts";
import { type FakeCloud, type FakeOptions, json, type Route, startFakeCloud } from "./fake_cloud.ts";

function cloudFor(fake: FakeCloud, password = fake.password) {
  return normalizeCloud("fakecloud", {
    auth: {
      auth_url: fake.authUrl,
      username: "alice",
      password,
      project_name: "ocp",
      user_domain_name: "Default",
      project_domain_name: "Default",
    },
  }, { description: "/tmp/fake/clouds.yaml" });
}

const sleeps = () => {
  const slept: number[] = [];
  return { slept, sleep: (ms: number) => (slept.push(ms), Promise.resolve()) };
};

async function withFake(
  routes: Route[],
  fn: (fake: FakeCloud) => Promise<void>,
  opts: FakeOptions = {},
) {
  const fake = await startFakeCloud(routes, opts);
  try {
    await fn(fake);
  } finally {
    await fake.stop();
  }
}

const networks = (...names: string[]) => ({ networks: names.map((n) => ({ id: `id-${n}`, name: n, tags: ["t1"] })) });
const authed = (req: { token: string | null }, fake: FakeCloud) => req.token !== null && fake.valid.has(req.token);
const unauthorized = () =>
  json(401, {
    error: { code: 401, title: "Unauthorized", message: "The request you have made requires authentication." },
  });

Deno.test("one token for many calls, renewed shortly before it expires by the injected clock", async () => {
  let clock = 1_000_000;
  const route: Route = (req, fake) =>
    req.path === "/network/v2.0/networks" ? (authed(req, fake) ? json(200, networks("a")) : unauthorized()) : undefined;
  await withFake([route], async (fake) => {
    const client = await createOpenStackClient(cloudFor(fake), { now: () => clock });
    try {
      await client.neutron.networks.list();
      await client.neutron.networks.list();
      assert.equal(fake.tokens.length, 1);
      // Lifetime 3600 s, renewed 120 s early.
      clock += 3479_000;
      await client.neutron.networks.list();
      assert.equal(fake.tokens.length, 1);
      clock += 2_000;
      await client.neutron.networks.list();
      assert.equal(fake.tokens.length, 2);
      const lastGet = fake.requests.filter((r) => r.method === "GET").at(-1);
      assert.equal(lastGet?.token, fake.tokens[1], "the renewed token is used");
    } finally {
      client.close();
    }
  });
});

Deno.test("a 401 authenticates again once and repeats the call; a second 401 fails with exit 2 naming the cloud", async () => {
  let alwaysReject = false;
  const route: Route = (req, fake) => {
    if (req.path !== "/network/v2.0/networks") return undefined;
    return !alwaysReject && authed(req, fake) ? json(200, networks("a")) : unauthorized();
  };
  await withFake([route], async (fake) => {
    const client = await createOpenStackClient(cloudFor(fake));
    try {
      await client.neutron.networks.list();
      fake.valid.delete(fake.tokens[0]); // revoked early
      assert.deepEqual((await client.neutron.networks.list()).map((n) => n.name), ["a"]);
      assert.equal(fake.tokens.length, 2);

      alwaysReject = true;
      const before = fake.requests.length;
      await assert.rejects(client.neutron.networks.list(), (err: OpenStackError) => {
        assert.equal(err.status, 401);
        assert.equal(err.exitCode, ExitCode.UsageError);
        assert.match(err.message, /Neutron \(cloud fakecloud\) answered GET \/network\/v2.0\/networks with 401/);
        return true;
      });
      const after = fake.requests.slice(before);
      assert.equal(after.filter((r) => r.method === "GET").length, 2, "tried, re-authenticated, tried once more");
      assert.equal(after.filter((r) => r.path.endsWith("/auth/tokens")).length, 1);
    } finally {
      client.close();
    }
  });
});

Deno.test("a wrong password is a configuration error (2) naming the cloud, its file and what to check", async () => {
  await withFake([], async (fake) => {
    const client = await createOpenStackClient(cloudFor(fake, "wrong-password"));
    try {
      await assert.rejects(client.authenticate(), (err: OpenStackError) => {
        assert.equal(err.exitCode, ExitCode.UsageError);
        assert.equal(
          err.message,
          `Keystone at ${fake.authUrl}/v3 rejected the credentials of cloud fakecloud (401 Unauthorized: The request ` +
            "you have made requires authentication.).",
        );
        assert.match(err.hint ?? "", /password and the project of cloud fakecloud in \/tmp\/fake\/clouds.yaml/);
        assert.match(err.hint ?? "", /openstack --os-cloud fakecloud token issue/);
        return true;
      });
      assert.equal(fake.requests.length, 1, "a 401 from Keystone is not retried");
    } finally {
      client.close();
    }
  });
});

Deno.test("retries: a GET after 503s, a 429's Retry-After, never a POST reboot answered 500", async () => {
  let failures = 2;
  let limited = 1;
  const routes: Route[] = [
    (req) =>
      req.path === "/network/v2.0/ports" ? (failures-- > 0 ? json(503, "busy") : json(200, { ports: [] })) : undefined,
    (req) =>
      req.path === "/compute/v2.1/servers/s1/action"
        ? limited-- > 0
          ? json(429, { overLimit: { code: 429, message: "slow down" } }, { "Retry-After": "7" })
          : json(500, { computeFault: { code: 500, message: "oops" } })
        : undefined,
  ];
  await withFake(routes, async (fake) => {
    const { slept, sleep } = sleeps();
    const client = await createOpenStackClient(cloudFor(fake), { sleep, random: () => 0 });
    try {
      assert.deepEqual(await client.neutron.ports.list(), []);
      assert.equal(fake.requests.filter((r) => r.path === "/network/v2.0/ports").length, 3);
      assert.deepEqual(slept, [250, 500], "backoff from 500 ms with jitter 0: 250 then 500");

      slept.length = 0;
      await assert.rejects(client.nova.rebootServer("s1", "HARD"), (err: OpenStackError) => {
        assert.equal(err.status, 500);
        assert.equal(err.errorType, "computeFault");
        return true;
      });
      const actions = fake.requests.filter((r) => r.path === "/compute/v2.1/servers/s1/action");
      assert.equal(actions.length, 2, "the 429 was repeated after Retry-After; the 500 was not");
      assert.deepEqual(actions[0].body, { reboot: { type: "HARD" } });
      assert.deepEqual(slept, [7000]);
    } finally {
      client.close();
    }
  });
});

Deno.test("a request timeout (milliseconds from the caller) is not retried and names the service", async () => {
  const route: Route = async (req) => {
    if (req.path !== "/network/v2.0/routers/r1") return undefined;
    await new Promise((r) => setTimeout(r, 400));
    return json(200, { router: { id: "r1" } });
  };
  await withFake([route], async (fake) => {
    const client = await createOpenStackClient(cloudFor(fake), { requestTimeoutMs: 100, sleep: sleeps().sleep });
    try {
      await client.authenticate();
      await assert.rejects(client.neutron.routers.get("r1"), (err: OpenStackError) => {
        assert.equal(err.details.transport, "timeout");
        assert.equal(err.exitCode, ExitCode.RuntimeError);
        assert.match(
          err.message,
          /^Neutron at http:\/\/127.0.0.1:\d+ \(cloud fakecloud\) did not answer GET \/network\/v2.0\/routers\/r1 in time/,
        );
        return true;
      });
      assert.equal(fake.requests.filter((r) => r.path === "/network/v2.0/routers/r1").length, 1);
    } finally {
      client.close();
    }
  });
});

Deno.test("an unreachable Keystone is retried (never sent) and then a runtime error naming it", async () => {
  const l = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  const cloud = normalizeCloud("gone", {
    auth: { auth_url: `http://127.0.0.1:${port}/v3`, user_id: "u", password: "pw-123456", project_id: "p" },
  }, { description: "test" });
  const { slept, sleep } = sleeps();
  const client = await createOpenStackClient(cloud, { sleep, retry: { maxAttempts: 3 } });
  try {
    await assert.rejects(client.authenticate(), (err: OpenStackError) => {
      assert.equal(err.details.transport, "connect");
      assert.equal(err.exitCode, ExitCode.RuntimeError);
      assert.equal(err.details.attempts, 3);
      assert.match(err.message, new RegExp(`^Cannot connect to Keystone at http://127.0.0.1:${port} \\(cloud gone\\)`));
      return true;
    });
    assert.equal(slept.length, 2);
  } finally {
    client.close();
  }
});

Deno.test("pagination follows rel=next to the end, on our endpoint even when the link names another host", async () => {
  const all = ["n1", "n2", "n3", "n4", "n5"];
  const route: Route = (req) => {
    if (req.path !== "/network/v2.0/networks") return undefined;
    const q = new URLSearchParams(req.search);
    const limit = Number(q.get("limit"));
    const start = q.get("marker") ? all.indexOf(q.get("marker")!.replace("id-", "")) + 1 : 0;
    const page = all.slice(start, start + limit);
    const links = start + limit < all.length
      // A link as Neutron behind a TLS-terminating proxy writes it: internal host, plain http, filters repeated.
      ? [{
        rel: "next",
        href: `http://neutron-internal:9696/v2.0/networks?limit=${limit}&marker=id-${page.at(-1)}&tags=t1`,
      }]
      : [];
    return json(200, { ...networks(...page), networks_links: links });
  };
  await withFake([route], async (fake) => {
    const client = await createOpenStackClient(cloudFor(fake));
    try {
      const got = await client.neutron.networks.listFields(["id", "name"], { tags: ["t1"], "not-tags": ["x", "y"] }, {
        pageSize: 2,
      });
      assert.deepEqual(got.map((n) => n.name), all);
      const gets = fake.requests.filter((r) => r.path === "/network/v2.0/networks");
      assert.equal(gets.length, 3);
      const first = new URLSearchParams(gets[0].search);
      assert.deepEqual(first.getAll("fields"), ["id", "name", "tags"], "tags asked for to check the tag filter");
      assert.equal(first.get("tags"), "t1");
      assert.equal(first.get("not-tags"), "x,y");
      const third = new URLSearchParams(gets[2].search);
      assert.equal(third.get("marker"), "id-n4");
      assert.equal(third.get("not-tags"), "x,y", "a filter the link leaves out is kept");
    } finally {
      client.close();
    }
  });
});

Deno.test("items a service returns outside the tag filter are dropped (a service that ignores the filter)", async () => {
  const route: Route = (req) =>
    req.path === "/network/v2.0/security-groups"
      ? json(200, {
        security_groups: [
          { id: "1", name: "mine", tags: ["openshiftClusterID=c1"] },
          { id: "2", name: "other cluster", tags: ["openshiftClusterID=c2"] },
          { id: "3", name: "untagged" },
        ],
      })
      : undefined;
  await withFake([route], async (fake) => {
    const client = await createOpenStackClient(cloudFor(fake));
    try {
      const sgs = await client.neutron.securityGroups.list({ tags: ["openshiftClusterID=c1"] });
      assert.deepEqual(sgs.map((s) => s.id), ["1"]);
      const none = await client.neutron.securityGroups.list({ "not-tags-any": ["openshiftClusterID=c1"] });
      assert.deepEqual(none.map((s) => s.id), ["2", "3"]);
    } finally {
      client.close();
    }
  });
});

Deno.test("an answer that is not the documented JSON is a clear error", async () => {
  const route: Route = (req) =>
    req.path === "/network/v2.0/subnets"
      ? new Response("<html>proxy page</html>", { status: 200 })
      : req.path === "/network/v2.0/trunks"
      ? json(200, { trunks: [{ name: "no id" }] })
      : undefined;
  await withFake([route], async (fake) => {
    const client = await createOpenStackClient(cloudFor(fake));
    try {
      await assert.rejects(
        client.neutron.subnets.list(),
        /answered GET \/network\/v2.0\/subnets \(200\) with a response this client cannot read: the body is not JSON/,
      );
      await assert.rejects(client.neutron.trunks.list(), /cannot read: trunks.0.id:/);
    } finally {
      client.close();
    }
  });
});

Deno.test("-v 9 shows methods, URLs, status, timing, headers and bodies, and no password, secret or token", async () => {
  const route: Route = (req, fake) =>
    req.path === "/network/v2.0/networks" && authed(req, fake) ? json(200, networks("a", "b")) : undefined;
  // A password shorter than redact's minimum: masked by the client all the same.
  await withFake([route], async (fake) => {
    const io = createMemoryIo();
    const logger = createLogger(9, io);
    const opts: OpenStackClientOptions = { logger };
    const client = await createOpenStackClient(cloudFor(fake, "s3cr3t"), opts);
    try {
      await client.neutron.networks.list({ name: "a" });
      fake.valid.clear(); // force a 401 and a second token
      await client.neutron.networks.list({ name: "a" }).catch(() => {});
    } finally {
      client.close();
    }
    const out = io.stderrText();
    assert.ok(fake.tokens.length >= 2);
    for (const secret of ["s3cr3t", ...fake.tokens]) assert.ok(!out.includes(secret), `${secret.slice(0, 12)}… leaked`);
    assert.match(out, /v6\] POST http:\/\/127.0.0.1:\d+\/identity\/v3\/auth\/tokens 201 in \d+ ms/);
    assert.match(out, /v6\] GET http:\/\/127.0.0.1:\d+\/network\/v2.0\/networks\?name=a 200 in \d+ ms/);
    assert.match(out, /X-Auth-Token: \[REDACTED\]/i);
    assert.match(out, /x-subject-token: \[REDACTED\]/i);
    assert.match(out, /Request body: \{"auth":\{"identity":\{"methods":\["password"\],/);
    assert.match(out, /"user":\{"name":"alice","domain":\{"name":"Default"\}/);
    assert.match(out, /"password":"\[REDACTED\]"/);
    assert.match(out, /Response body: \{"networks":\[\{"id":"id-a"/);
    assert.match(out, /v4\] authenticated to cloud fakecloud: project ocp \(p1\), roles member/);
    assert.match(out, /v4\] network rejected the token \(401\); authenticating again/);

    // -v 6: request lines only, no headers or bodies.
    const io6 = createMemoryIo();
    const c6 = await createOpenStackClient(cloudFor(fake, "s3cr3t"), { logger: createLogger(6, io6) });
    try {
      await c6.authenticate();
    } finally {
      c6.close();
    }
    assert.match(io6.stderrText(), /POST .*auth\/tokens 201 in/);
    assert.doesNotMatch(io6.stderrText(), /Request body|Response headers/);
  }, { password: "s3cr3t" });
});

Deno.test("an auth_url with no Keystone behind it (404) is a configuration error saying what auth_url should be", async () => {
  await withFake([
    (req) =>
      req.path.startsWith("/wrong/")
        ? json(404, { error: { code: 404, title: "Not Found", message: "x" } })
        : undefined,
  ], async (fake) => {
    const cloud = normalizeCloud("fakecloud", {
      auth: { auth_url: `${fake.origin}/wrong`, user_id: "u", password: "pw-123456", project_id: "p" },
    }, { description: "/tmp/fake/clouds.yaml" });
    const client = await createOpenStackClient(cloud);
    try {
      await assert.rejects(client.authenticate(), (err: OpenStackError) => {
        assert.equal(err.exitCode, ExitCode.UsageError);
        assert.equal(err.message, `There is no Keystone v3 API at ${fake.origin}/wrong/v3 (404) for cloud fakecloud.`);
        assert.match(err.hint ?? "", /Set auth_url of cloud fakecloud in \/tmp\/fake\/clouds.yaml/);
        return true;
      });
    } finally {
      client.close();
    }
  });
});

Deno.test("a service that keeps sending the same next link is followed once, not forever", async () => {
  const route: Route = (req) =>
    req.path === "/network/v2.0/routers"
      ? json(200, {
        routers: [{ id: "r1", name: "r", tags: [] }],
        routers_links: [{ rel: "next", href: "http://x/v2.0/routers?limit=1&marker=r1" }],
      })
      : undefined;
  await withFake([route], async (fake) => {
    const io = createMemoryIo();
    const client = await createOpenStackClient(cloudFor(fake), { logger: createLogger(2, io) });
    try {
      assert.equal((await client.neutron.routers.list()).length, 2);
      assert.equal(fake.requests.filter((r) => r.path === "/network/v2.0/routers").length, 2);
      assert.match(io.stderrText(), /sent the same next page link twice for \/routers; stopping at page 2/);
    } finally {
      client.close();
    }
  });
});

Deno.test("cancelling through the signal stops a request in flight without a retry", async () => {
  const route: Route = async (req) => {
    if (req.path !== "/network/v2.0/ports") return undefined;
    await new Promise((r) => setTimeout(r, 300));
    return json(200, { ports: [] });
  };
  await withFake([route], async (fake) => {
    const abort = new AbortController();
    const client = await createOpenStackClient(cloudFor(fake), { signal: abort.signal, sleep: sleeps().sleep });
    try {
      await client.authenticate();
      setTimeout(() => abort.abort(), 50);
      await assert.rejects(client.neutron.ports.list(), (err: OpenStackError) => err.details.transport === "aborted");
      assert.equal(fake.requests.filter((r) => r.path === "/network/v2.0/ports").length, 1);
    } finally {
      client.close();
    }
  });
});

/** A TCP server that reads a request and hangs up without answering. */
function hangUpServer(): { url: string; hits: () => number; close(): void } {
  const listener = Deno.listen({ port: 0, hostname: "127.0.0.1" });
  let hits = 0;
  (async () => {
    for await (const conn of listener) {
      hits++;
      const buf = new Uint8Array(4096);
      await conn.read(buf).catch(() => null);
      conn.close();
    }
  })().catch(() => {});
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    hits: () => hits,
    close: () => listener.close(),
  };
}

Deno.test("a connection broken after sending: a GET is repeated, a POST (Nova reboot) is not", async () => {
  const broken = hangUpServer();
  try {
    await withFake([], async (fake) => {
      const io = createMemoryIo();
      const client = await createOpenStackClient(cloudFor(fake), {
        sleep: sleeps().sleep,
        retry: { maxAttempts: 3 },
        logger: createLogger(2, io),
      });
      try {
        await assert.rejects(client.neutron.networks.list(), (err: OpenStackError) => {
          assert.equal(err.details.transport, "reset");
          assert.equal(err.exitCode, ExitCode.RuntimeError);
          assert.match(
            err.message,
            /^The connection to Neutron at http:\/\/127.0.0.1:\d+ \(cloud fakecloud\) broke during GET/,
          );
          return true;
        });
        assert.equal(broken.hits(), 3);
        assert.match(
          io.stderrText(),
          /v2\] retrying GET http:\/\/127.0.0.1:\d+\/v2.0\/networks in \d+ ms after attempt 1: The connection/,
        );
        await assert.rejects(
          client.nova.rebootServer("s1"),
          (err: OpenStackError) => err.details.transport === "reset",
        );
        assert.equal(broken.hits(), 4, "the reboot was sent once");
      } finally {
        client.close();
      }
    }, { endpoints: { network: broken.url, compute: `${broken.url}/v2.1` } });
  } finally {
    broken.close();
  }
});

Deno.test("waiting for a load balancer's deletion: ERROR and a timeout are errors (exit 3) that name it", async () => {
  let status = "PENDING_DELETE";
  const route: Route = (req) =>
    req.path === "/load-balancer/v2/lbaas/loadbalancers/lb1"
      ? json(200, { loadbalancer: { id: "lb1", name: "ns/svc", provisioning_status: status } })
      : undefined;
  await withFake([route], async (fake) => {
    const { slept, sleep } = sleeps();
    const client = await createOpenStackClient(cloudFor(fake), { sleep });
    try {
      await assert.rejects(
        client.octavia.waitForLoadBalancerDeleted("lb1", { intervalMs: 5000, timeoutMs: 20_000 }),
        (err: CliError) => {
          assert.equal(err.exitCode, ExitCode.Failed);
          assert.equal(
            err.message,
            "Load balancer ns/svc (lb1) of cloud fakecloud is still PENDING_DELETE after 20 s.",
          );
          return true;
        },
      );
      assert.deepEqual(slept, [5000, 5000, 5000, 5000]);
      status = "ERROR";
      await assert.rejects(
        client.octavia.waitForLoadBalancerDeleted("lb1"),
        /Load balancer ns\/svc \(lb1\) of cloud fakecloud went to ERROR while being deleted/,
      );
      status = "DELETED";
      await client.octavia.waitForLoadBalancerDeleted("lb1");
    } finally {
      client.close();
    }
  });
});
