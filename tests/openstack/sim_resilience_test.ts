/**
 * Against the simulated OpenStack: a token that expires in the middle of a paged list, Octavia's 409 while
 * PENDING_*, injected 5xx and 429 answers, a Nova reboot answered 500 (sent once), and nothing secret in the
 * `-v 9` output of all of it.
 */
import assert from "node:assert/strict";
import { createLogger } from "../../lib/cli/logger.ts";
import { createMemoryIo } from "../../lib/cli/io.ts";
import { ExitCode } from "../../lib/exit_codes.ts";
import { OpenStackError } from "../../lib/openstack/errors.ts";
import { LoadBalancerSchema } from "../../lib/openstack/octavia.ts";
import { z } from "zod";
import { recordingClient, scaledSleep, simCloud, withKuryrSim } from "./sim_helpers.ts";

Deno.test("the token expires in the middle of a paged list: re-authenticated, the list continues, three pages", async () => {
  await withKuryrSim(async (os) => {
    const { client, transport } = await recordingClient(simCloud(os));
    try {
      const filter = { "tags-any": [os.clusterTag] };
      const expected = (await client.neutron.ports.list(filter)).map((p) => p.id).sort();
      assert.ok(expected.length >= 6, `enough tagged ports to page (${expected.length})`);
      const pageSize = Math.ceil(expected.length / 3);
      const issuedBefore = os.keystone.issued;
      os.requestLog.clear();
      // Right after the first page, every token Keystone has issued expires.
      let pages = 0;
      transport.after = (req, status) => {
        if (req.url.includes("/network/v2.0/ports") && status === 200 && ++pages === 1) os.keystone.expireAll();
      };
      const got = await client.neutron.ports.list(filter, { pageSize });
      transport.after = undefined;

      assert.deepEqual(got.map((p) => p.id).sort(), expected, "every port, none twice");
      const portCalls = os.requestLog.records({ service: "network", method: "GET" }).filter((r) =>
        r.path === "/v2.0/ports"
      );
      assert.deepEqual(portCalls.map((r) => r.status).slice(0, 3), [200, 401, 200], "page 2 refused, then repeated");
      const okPages = portCalls.filter((r) => r.status === 200);
      assert.ok(okPages.length >= 3, `three pages followed (${okPages.length} answered)`);
      assert.ok(okPages.slice(1).every((r) => r.query?.includes("marker=")), "later pages continue from a marker");
      assert.equal(os.keystone.issued, issuedBefore + 1, "one new token");
      assert.equal(os.requestLog.records({ service: "identity", method: "POST" }).length, 1);
    } finally {
      client.close();
    }
  });
});

Deno.test("Octavia's 409 while PENDING_CREATE is waited out; the cascade delete then finishes and is awaited", async () => {
  await withKuryrSim(async (os) => {
    // Creation stays pending for 4 simulated seconds; deletion takes 10.
    os.faults.set({ loadBalancerCreateSeconds: 4, loadBalancerDeleteSeconds: 10 });
    const slept: number[] = [];
    const { client } = await recordingClient(simCloud(os), {
      sleep: (ms, signal) => (slept.push(ms), scaledSleep(ms, signal)),
      random: () => 1,
    });
    try {
      const subnet = (await client.neutron.subnets.list({ tags: [os.clusterTag] }))[0];
      const created = await client.session.json(
        "load-balancer",
        "POST",
        "/lbaas/loadbalancers",
        z.looseObject({ loadbalancer: LoadBalancerSchema }),
        { body: { loadbalancer: { name: "pending-test", vip_subnet_id: subnet.id } } },
      );
      const lb = created.loadbalancer;
      assert.equal(lb.provisioning_status, "PENDING_CREATE");
      os.requestLog.clear();
      assert.equal(await client.octavia.deleteLoadBalancer(lb.id, { cascade: true }), "deleted");
      const deletes = os.requestLog.records({ service: "load-balancer", method: "DELETE" });
      assert.ok(deletes.length >= 2, `repeated (${deletes.length} attempts)`);
      assert.ok(deletes.slice(0, -1).every((r) => r.status === 409), deletes.map((r) => r.status).join(","));
      assert.equal(deletes.at(-1)?.status, 204);
      assert.ok(slept.length >= 1);

      // A second delete while PENDING_DELETE: not waited out, reported.
      assert.equal(await client.octavia.deleteLoadBalancer(lb.id, { cascade: true }), "already-deleting");
      assert.equal((await client.octavia.getLoadBalancer(lb.id))?.provisioning_status, "PENDING_DELETE");
      await client.octavia.waitForLoadBalancerDeleted(lb.id, { intervalMs: 1000, timeoutMs: 120_000 });
      assert.equal(await client.octavia.getLoadBalancer(lb.id), undefined);
      assert.equal(await client.neutron.ports.get(lb.vip_port_id!), undefined, "its VIP port went with it");
      assert.equal(await client.octavia.deleteLoadBalancer(lb.id), "not-found");
    } finally {
      client.close();
    }
  });
});

Deno.test("injected 503 and 429 are retried (Retry-After honoured); 5xx until the attempts run out is exit 1", async () => {
  await withKuryrSim(async (os) => {
    const slept: number[] = [];
    let healAfter = Infinity;
    const { client } = await recordingClient(simCloud(os), {
      random: () => 0,
      sleep: (ms, signal) => {
        slept.push(ms);
        if (slept.length >= healAfter) os.faults.set({ errorRate: 0 });
        return scaledSleep(ms, signal);
      },
    });
    try {
      await client.authenticate();
      const expected = (await client.neutron.networks.list({ tags: [os.clusterTag] })).length;
      const inject = (codes: number[], heal: number) => {
        slept.length = 0;
        healAfter = heal;
        os.requestLog.clear();
        os.faults.set({
          errorRate: 1,
          errorCodes: codes,
          retryAfterSeconds: 3,
          errorServices: ["network"],
          errorMethods: ["GET"],
        });
      };

      inject([503], 2);
      assert.equal((await client.neutron.networks.list({ tags: [os.clusterTag] })).length, expected);
      assert.deepEqual(os.requestLog.records({ service: "network" }).map((r) => r.status), [503, 503, 200]);
      assert.deepEqual(slept, [250, 500], "backoff from 500 ms, equal jitter at its low end");

      inject([429], 1);
      assert.equal((await client.neutron.networks.list({ tags: [os.clusterTag] })).length, expected);
      assert.deepEqual(os.requestLog.records({ service: "network" }).map((r) => r.status), [429, 200]);
      assert.deepEqual(slept, [3000], "Retry-After: 3");

      inject([502], Infinity);
      await assert.rejects(client.neutron.networks.list(), (err: OpenStackError) => {
        assert.equal(err.status, 502);
        assert.equal(err.exitCode, ExitCode.RuntimeError);
        assert.equal(err.details.attempts, 6);
        assert.match(err.message, /^Neutron \(cloud openstack\) answered GET \/network\/v2.0\/networks with 502/);
        return true;
      });
      assert.equal(os.requestLog.records({ service: "network" }).length, 6);
    } finally {
      os.faults.set({ errorRate: 0 });
      client.close();
    }
  });
});

Deno.test("a Nova reboot answered 500 is not sent again (the node may be rebooting already)", async () => {
  await withKuryrSim(async (os) => {
    const { client } = await recordingClient(simCloud(os), { random: () => 0 });
    try {
      const [server] = await client.nova.listServers({ name: "-master-0$" });
      assert.ok(server, "master-0's server");
      os.faults.set({ errorRate: 1, errorCodes: [500], errorServices: ["compute"], errorMethods: ["POST"] });
      os.requestLog.clear();
      await assert.rejects(client.nova.rebootServer(server.id, "SOFT"), (err: OpenStackError) => err.status === 500);
      assert.equal(os.requestLog.records({ service: "compute", method: "POST" }).length, 1);
      os.faults.set({ errorRate: 0 });
      assert.equal((await client.nova.getServer(server.id))?.status, "ACTIVE", "the injected 500 rebooted nothing");
    } finally {
      os.faults.set({ errorRate: 0 });
      client.close();
    }
  });
});

Deno.test("-v 9 over authentication, re-authentication, lists, errors: no password, secret or token in the output", async () => {
  await withKuryrSim(async (os) => {
    const io = createMemoryIo();
    const logger = createLogger(9, io);
    const tokens: string[] = [];
    for (const name of [os.cloudName, os.appCredentialCloudName]) {
      const { client, transport } = await recordingClient(simCloud(os, name), { logger });
      try {
        await client.authenticate();
        await client.neutron.ports.list({ tags: [os.clusterTag] }, { pageSize: 4 });
        os.keystone.expireAll();
        await client.octavia.listLoadBalancers({ tags: [os.clusterTag] });
        await client.nova.listServers();
        await client.neutron.routers.removeInterface(crypto.randomUUID(), { subnetId: crypto.randomUUID() }).catch(
          () => {},
        );
      } finally {
        client.close();
        tokens.push(...transport.tokens);
      }
    }
    // A refused password goes through the same log.
    const wrong = simCloud(os);
    const { client: bad } = await recordingClient({ ...wrong, auth: { ...wrong.auth, password: "wrong-password-x" } }, {
      logger,
    });
    await bad.authenticate().catch(() => {});
    bad.close();

    const out = io.stderrText();
    assert.ok(tokens.length >= 4, `tokens captured: ${tokens.length}`);
    const c = os.credentials;
    for (
      const secret of [c.password, c.applicationCredentialSecret, os.memberPassword, "wrong-password-x", ...tokens]
    ) {
      assert.ok(!out.includes(secret), `a secret (${secret.slice(0, 6)}…) appears in the -v 9 output`);
    }
    // The output is there: requests, headers (masked), bodies.
    assert.match(out, /v6\] POST https:\/\/127.0.0.1:\d+\/identity\/v3\/auth\/tokens 201 in \d+ ms/);
    assert.match(out, /v6\] GET https:\/\/127.0.0.1:\d+\/network\/v2.0\/ports\?tags=.*&limit=4&marker=/);
    assert.match(out, /X-Auth-Token: \[REDACTED\]/);
    assert.match(out, /Response body: \{"token":/);
    assert.match(out, /"application_credential":\{"id":"[0-9a-f]+","secret":"\[REDACTED\]"\}/);
    assert.match(out, /rejected the token \(401\); authenticating again/);
  });
});
