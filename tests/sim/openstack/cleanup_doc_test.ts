/**
 * The documented Kuryr clean-up (procedures.md §2.3, the doc's bash as written, `oc` played by kubectl, the
 * Python one-liners through Debian's openstacksdk) run in the documented order against a small Kuryr cluster
 * and its cloud: it leaves nothing of Kuryr's or CNO's tagged for this cluster (the installer's resources and
 * the floating IPs Kuryr allocated — §2.5 — stay), removes every Kuryr finalizer, and what it does to the
 * decoys is recorded exactly: step 17 picks network-policy security groups by description across all projects
 * and deletes the other cluster's unused one (its in-use ones fail with SecurityGroupInUse). Step 5 blocks:
 * `oc delete namespace openshift-kuryr` waits for the namespace's KuryrNetwork, whose finalizer only step 18
 * removes (the one deviation: it runs under `timeout`).
 */
import assert from "node:assert/strict";
import { cliEnv, cliPython, openstackCli, type Rec, startKuryr, stored, until } from "./helpers.ts";

/** The preamble (variables, REMFIN) and steps 1–19 of kuryr_cleanup_doc.sh. */
async function docScript(): Promise<{ preamble: string; steps: [number, string][] }> {
  const text = await Deno.readTextFile(new URL("./kuryr_cleanup_doc.sh", import.meta.url));
  const parts = text.split(/^### step (\d+)$/m);
  const steps: [number, string][] = [];
  for (let i = 1; i < parts.length; i += 2) steps.push([Number(parts[i]), parts[i + 1].trim()]);
  return { preamble: parts[0], steps };
}

/** `oc`, `python` and `python3` as the documentation expects them, in a directory put first on PATH. */
async function docTools(): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "kuryr-doc-bin-" });
  openstackCli(); // fails naming scripts/install-openstack-cli.sh when missing
  const found = new TextDecoder().decode(
    (await new Deno.Command("sh", { args: ["-c", "command -v kubectl"], stdout: "piped" }).output()).stdout,
  ).trim();
  if (!found) throw new Error("kubectl is not on PATH");
  // The gcloud kubectl dispatcher picks 1.27 for a 4.14 server, whose `replace` validates through /openapi/v2,
  // which the simulated API server does not serve; 1.29 (as for the 4.16 scenarios) uses /openapi/v3.
  const real = await Deno.realPath(found);
  const pinned = real.replace(/\/kubectl$/, "/kubectl.1.29");
  const kubectl = await Deno.stat(pinned).then(() => pinned, () => found);
  await Deno.symlink(kubectl, `${dir}/oc`);
  await Deno.symlink(cliPython(), `${dir}/python`);
  await Deno.symlink(cliPython(), `${dir}/python3`);
  return dir;
}

Deno.test({
  name:
    "the documented clean-up (§2.3, in order) leaves nothing of Kuryr's tagged, no Kuryr finalizer, and only the recorded decoy damage",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    const sim = await startKuryr("kuryr-4.14-migrated", {
      timeScale: 50,
      controllers: true,
      patch: (s) => void (s.openstack!.kuryrNamespaces = ["default", "openshift-kuryr", "demo", "shop"]),
    });
    const bin = await docTools();
    try {
      const TAG = sim.openstack.clusterTag;
      const INFRA = "ostest-7k2xp";
      const region = sim.openstack.cloud.main;
      // What the doc does not clean: the installer's resources and Kuryr's floating IPs (§2.5).
      const installer = new Set(
        sim.openstack.cloud.tagged(TAG).filter((r) =>
          r.collection === "trunks" || r.collection === "routers" || r.collection === "floatingips" ||
          [
            `${INFRA}-openshift`,
            `${INFRA}-nodes`,
            `${INFRA}-master`,
            `${INFRA}-worker`,
            `${INFRA}-api-port`,
            `${INFRA}-ingress-port`,
          ].includes(r.name) ||
          /^ostest-7k2xp-(master-port-\d|worker-0-[a-z0-9]{5})$/.test(r.name)
        ).map((r) => `${r.collection}/${r.id}`),
      );
      assert.equal(installer.size, 20, "1 network, 1 subnet, 1 router, 2 SGs, 8 ports, 6 trunks, 1 Kuryr FIP");
      assert.ok(sim.openstack.cloud.tagged(TAG).length > installer.size + 30, "plenty of Kuryr's to clean");
      const decoysBefore = sim.openstack.cloud.decoyState();

      const { preamble, steps: STEPS } = await docScript();
      assert.deepEqual(STEPS.map(([n]) => n), Array.from({ length: 19 }, (_, i) => i + 1));
      const script = [preamble, ...STEPS.map(([n, cmd]) => `echo "=== step ${n}"\n${cmd}\necho "=== rc ${n} $?"`)].join(
        "\n",
      );
      const env = { ...cliEnv(sim), PATH: `${bin}:${Deno.env.get("PATH")}`, KUBECONFIG: sim.kubeconfigPath };
      const started = performance.now();
      if (Deno.env.get("CLEANUP_DEBUG")) console.error("running the script");
      const out = await new Deno.Command("bash", { args: ["-c", script], env, stdout: "piped", stderr: "piped" })
        .output();
      const stdout = new TextDecoder().decode(out.stdout);
      const stderr = new TextDecoder().decode(out.stderr);
      if (Deno.env.get("CLEANUP_DEBUG")) {
        console.error(new TextDecoder().decode(out.stdout), new TextDecoder().decode(out.stderr));
      }
      const rc = Object.fromEntries(
        [...stdout.matchAll(/^=== rc (\d+) (\d+)$/gm)].map((m) => [Number(m[1]), Number(m[2])]),
      );
      const log = `stdout:\n${stdout}\nstderr:\n${stderr}`;
      assert.equal(Object.keys(rc).length, 19, log);
      for (let n = 1; n <= 19; n++) {
        if (n === 5 || n === 17) continue; // 5: see below; 17: the last delete's status
        assert.equal(rc[n], 0, `step ${n} failed\n${log}`);
      }
      // Step 5 hangs on the KuryrNetwork of openshift-kuryr (timeout's exit 124); the namespace goes after step 18.
      assert.equal(rc[5], 124, log);
      await until(
        () => !sim.store.get("core/namespaces", undefined, "openshift-kuryr"),
        "openshift-kuryr gone after step 18",
      );
      // Step 17 also tried the other cluster's in-use policy SGs (its exit status is the last delete's).
      const inUse = [...stderr.matchAll(/Security Group ([0-9a-f-]{36}) in use\./g)].map((m) => m[1]);
      const sgName = (id: string) => stored(sim, "security-groups").find((g) => g.id === id);
      assert.deepEqual(inUse.map((id) => sgName(id)?.name).sort(), [
        "sg/demo-allow-same-namespace",
        "sg/shop-allow-http",
      ], log);
      assert.ok(
        inUse.every((id) => sgName(id)!.tags.includes("openshiftClusterID=ostest-9qzt4")),
        "the other cluster's",
      );
      assert.ok(!stdout.includes("Network still exists"), "step 16 found nothing");

      // Nothing of Kuryr's or CNO's left tagged; the installer's resources and Kuryr's FIPs stay.
      const left = sim.openstack.cloud.tagged(TAG).map((r) => `${r.collection}/${r.id}`).sort();
      assert.deepEqual(left, [...installer].sort(), log);
      assert.ok(
        region.net("routers").has(sim.store.all("openstack.org/kuryrnetworks")[0].status.routerId),
        "step 19 kept the installer's router",
      );
      assert.equal(
        stored(sim, "loadbalancers").filter((l) =>
          l.project_id === sim.openstack.credentials.projectId && l.name !== "demo/web"
        ).length,
        0,
      );

      // No Kuryr finalizer anywhere in the cluster.
      for (
        const key of [
          "core/pods",
          "core/services",
          "networking.k8s.io/networkpolicies",
          "openstack.org/kuryrloadbalancers",
          "openstack.org/kuryrports",
          "openstack.org/kuryrnetworkpolicies",
          "openstack.org/kuryrnetworks",
        ]
      ) {
        for (const o of sim.store.all(key)) {
          const f = (o.metadata.finalizers ?? []).filter((x: string) => x.includes("kuryr"));
          assert.deepEqual(f, [], `${key} ${o.metadata.namespace}/${o.metadata.name}`);
        }
      }
      assert.equal(sim.store.get("core/services", "openshift-kuryr", "service-subnet-gateway-ip"), undefined);

      // The decoys: exactly one destroyed (the other cluster's unused network-policy SG, by step 17), and
      // the user's floating IP of shop/api let go of the deleted load balancer's VIP port.
      const after = sim.openstack.cloud.decoyState();
      const destroyed = Object.keys(decoysBefore).filter((k) => after[k] === undefined);
      const byKey = (k: string) => sim.openstack.cloud.decoys.find((d) => `${d.collection}/${d.id}` === k)!;
      assert.deepEqual(destroyed.map((k) => `${byKey(k).collection} ${byKey(k).name}`), [
        "security-groups sg/demo-allow-monitoring",
      ], log);
      const destroyedSg = decoysBefore[destroyed[0]] as Rec;
      assert.equal(destroyedSg.description, "Kuryr-Kubernetes Network Policy demo/allow-monitoring SG");
      assert.ok(destroyedSg.tags.includes("openshiftClusterID=ostest-9qzt4"), "another cluster's");
      const changed = Object.keys(decoysBefore).filter((k) =>
        after[k] !== undefined && JSON.stringify(after[k]) !== JSON.stringify(decoysBefore[k])
      );
      assert.deepEqual(changed.map((k) => byKey(k).why), ["a user-supplied floating IP (alloc_method: user)"]);
      assert.equal((after[changed[0]] as Rec).port_id, null);
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `documented clean-up: ${seconds.toFixed(0)} s, ${sim.openstack.requestLog.summary().total} OpenStack requests`,
      );
    } finally {
      await sim.stop();
      await Deno.remove(bin, { recursive: true });
    }
  },
});
