import assert from "node:assert/strict";
import { run } from "../../lib/cli/commands/preflight.ts";
import { ConfigError, UsageError } from "../../lib/errors.ts";
import { PreflightReport } from "../../lib/verify/report_schema.ts";
import type { Kube } from "../../lib/kube/types.ts";
import { healthyFacts, options, v, withFacts } from "./fixtures.ts";
import { fakeContext } from "./fake_io.ts";
import { sdnCluster } from "./sdn_cluster.ts";
import { runInProcess } from "../cli/helpers.ts";
import type { Facts } from "../../lib/verify/facts.ts";

async function factsFile(f: Facts): Promise<string> {
  const dir = await Deno.makeTempDir();
  const path = `${dir}/facts.json`;
  await Deno.writeTextFile(path, JSON.stringify(f));
  return path;
}

Deno.test("preflight --facts: evaluates a snapshot without connecting; exit 0 and live recommended", async () => {
  const path = await factsFile(healthyFacts());
  const io = fakeContext({ output: "json" });
  const code = await run(io.ctx, options({ facts: path, etcdBackupConfirmed: true }));
  assert.equal(code, 0);
  assert.equal(io.connects(), 0);
  const report = PreflightReport.parse(JSON.parse(io.out()));
  assert.equal(report.method.recommended, "live");
  assert.equal(report.cluster.factsFile, path);
  assert.equal(io.err(), "", "no progress output off a terminal");
});

Deno.test("preflight --facts: warnings only → exit 4; failure → exit 3 (human output)", async () => {
  const io = fakeContext();
  assert.equal(await run(io.ctx, options({ facts: await factsFile(healthyFacts()), etcdBackupConfirmed: false })), 4);
  assert.match(io.out(), /recommended method: live/);
  const paused = withFacts((f) => (v(f.machineConfigPools).items[0].paused = true));
  const io3 = fakeContext();
  assert.equal(await run(io3.ctx, options({ facts: await factsFile(paused), method: "live" })), 3);
  assert.match(io3.out(), /oc patch mcp\/master --type merge/);
});

Deno.test("preflight: unknown check ids and bad planned values are usage errors before anything is read", async () => {
  const io = fakeContext();
  await assert.rejects(() => run(io.ctx, options({ onlyChecks: ["nope"] })), UsageError);
  assert.equal(io.connects(), 0);
  // Planned values are checked by the one validator behind the flags, before the command runs at all.
  const ran: string[] = [];
  for (
    const [argv, why] of [
      [["--join-subnet", "100.64.0.0"], /Not a CIDR/],
      [["--v6-internal-subnet", "100.64.0.0/16"], /IPv6 CIDR/],
      [["--geneve-port", "70000"], /from 1 to 65535/],
      [["--mtu", "65536"], /from 576 to 9216/],
    ] as const
  ) {
    const capture: Record<string, unknown> = {};
    const r = await runInProcess(["preflight", ...argv], { capture });
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, why);
    ran.push(...Object.keys(capture));
  }
  assert.deepEqual(ran, [], "no command ran");
});

Deno.test("preflight --facts: a file that is not a snapshot is a usage error naming the field", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.writeTextFile(`${dir}/bad.json`, JSON.stringify({ apiVersion: "x" }));
  const io = fakeContext();
  await assert.rejects(
    () => run(io.ctx, options({ facts: `${dir}/bad.json` })),
    /is not a preflight snapshot: apiVersion/,
  );
  await assert.rejects(() => run(io.ctx, options({ facts: `${dir}/missing.json` })), /cannot read facts file/);
});

Deno.test("preflight: not an OpenShift cluster → ConfigError (exit 2) with the documented message", async () => {
  const path = await factsFile(withFacts((f) => (f.apiGroups = { value: ["apps"] })));
  const io = fakeContext();
  await assert.rejects(() => run(io.ctx, options({ facts: path })), (e: unknown) => {
    assert.ok(e instanceof ConfigError);
    assert.equal(e.exitCode, 2);
    assert.equal(
      e.message,
      "not an OpenShift cluster: the API group config.openshift.io is not served by https://api.sim.example:6443",
    );
    return true;
  });
});

Deno.test("preflight against a cluster: --dump-facts writes a snapshot that --facts evaluates the same way", async () => {
  const dir = await Deno.makeTempDir();
  const dump = `${dir}/dump.json`;
  const live = fakeContext({ output: "json", kube: () => Promise.resolve(sdnCluster() as unknown as Kube) });
  const code1 = await run(live.ctx, options({ dumpFacts: dump, etcdBackupConfirmed: true }));
  assert.equal(live.connects(), 1);
  const first = PreflightReport.parse(JSON.parse(live.out()));
  const replay = fakeContext({ output: "json" });
  const code2 = await run(replay.ctx, options({ facts: dump, etcdBackupConfirmed: true }));
  const second = PreflightReport.parse(JSON.parse(replay.out()));
  assert.equal(code1, code2);
  assert.deepEqual(second.checks, first.checks);
  // The fake cluster has an egress router pod, an unmanaged DaemonSet and a macvlan NAD: live is blocked.
  assert.equal(first.method.recommended, "offline");
  assert.match(first.method.reasons[0], /live: blocked by .*egress-router-pods/);
  assert.equal(code1, 4);
});

Deno.test("preflight --dump-facts to an unwritable path: a usage error naming the path (exit 2)", async () => {
  const dir = await Deno.makeTempDir();
  const live = fakeContext({ output: "json", kube: () => Promise.resolve(sdnCluster() as unknown as Kube) });
  const err = await run(live.ctx, options({ dumpFacts: `${dir}/no-such-dir/dump.json` })).then(
    () => undefined,
    (e) => e,
  );
  assert.ok(err instanceof UsageError, String(err));
  assert.equal(err.exitCode, 2);
  assert.match(err.message, /cannot write --dump-facts .*no-such-dir\/dump\.json/);
  assert.equal(live.out(), "", "no report after the failure");
  await Deno.remove(dir, { recursive: true });
});

Deno.test("preflight: progress goes to stderr only on a terminal", async () => {
  const tty = fakeContext({ tty: true, kube: () => Promise.resolve(sdnCluster() as unknown as Kube) });
  await run(tty.ctx, options());
  assert.match(tty.err(), /Reading the cluster… \d+\/\d+/);
  assert.doesNotMatch(tty.out(), /Reading the cluster/);
});
