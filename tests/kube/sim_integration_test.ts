/**
 * The real client against the simulated cluster (sim/sim.ts): paged and metadata-only lists, a watch that
 * survives dropped connections, exec into prometheus-k8s-0, client-certificate auth, 403 messages, and
 * retries under injected faults.
 */
import { assert, assertEquals, assertMatch, assertRejects } from "./_assert.ts";
import { KubeError } from "../../lib/errors.ts";
import { connect } from "../../lib/kube/connect.ts";
import { R } from "../../lib/kube/resources.ts";
import type { RetryPolicy } from "../../lib/kube/retry.ts";
import type { Kube } from "../../lib/kube/types.ts";
import { startSim } from "../../sim/sim.ts";
import { captureLogger, globals } from "./_fixtures.ts";

const FAST_RETRY: RetryPolicy = {
  maxAttempts: 5,
  maxElapsedMs: 10_000,
  baseDelayMs: 5,
  maxDelayMs: 20,
  maxRetryAfterMs: 2000,
};

async function withSim(
  scenario: string,
  fn: (kube: Kube, sim: Awaited<ReturnType<typeof startSim>>) => Promise<void>,
  context?: string,
  controllers = false,
) {
  const sim = await startSim({ scenario, timeScale: 60, controllers });
  const kube = await connect(globals({ kubeconfig: sim.kubeconfigPath, context }), captureLogger(), {
    retry: FAST_RETRY,
  });
  try {
    await fn(kube, sim);
  } finally {
    await kube.close?.();
    await sim.stop();
  }
}

Deno.test("sim: paged list, metadata-only list, discovery and exec into prometheus-k8s-0", async () => {
  await withSim(
    "sdn-small",
    async (kube, sim) => {
      const groups = await kube.apiGroups();
      assert(groups.includes("config.openshift.io") && groups.includes("operator.openshift.io"));

      const all = await kube.list(R.node);
      const paged = await kube.list(R.node, { pageSize: 2 });
      assertEquals(paged.map((n) => n.metadata.name), all.map((n) => n.metadata.name));
      assert(all.length >= 3);
      const nodeLists = sim.requestLog.records({ verb: "list", resource: "nodes" });
      assertEquals(nodeLists.length, 1 + Math.ceil(all.length / 2));

      const pods = await kube.listMetadata(R.pod, { namespace: "openshift-monitoring" });
      assert(pods.some((p) => p.metadata.name === "prometheus-k8s-0"));
      assert(pods.every((p) => p.kind === "PartialObjectMetadata" && !("spec" in p)));

      const r = await kube.exec("openshift-monitoring", "prometheus-k8s-0", "prometheus", [
        "curl",
        "-s",
        "http://localhost:9090/api/v1/query?query=up",
      ]);
      assertEquals(r.exitCode, 0);
      assertEquals(JSON.parse(r.stdout).status, "success");
    },
    undefined,
    true,
  ); // controllers on: the simulated Prometheus answers exec
});

Deno.test("sim: a watch sees changes and resumes after the server drops it", async () => {
  await withSim("sdn-small", async (kube, sim) => {
    sim.faults.set({ dropWatchesAfterSeconds: 0.3 });
    const abort = new AbortController();
    // A safety net only: if resumption broke, stop after 20 s and let the assertions below fail.
    const guard = setTimeout(() => abort.abort(), 20_000);
    const seen: string[] = [];
    let synced = 0;
    let onSynced: () => void = () => {};
    const firstSync = new Promise<void>((resolve) => onSynced = resolve);
    const marks = ["one", "two"];
    const watching = kube.watch(R.node, {
      signal: abort.signal,
      onSync: (items) => {
        synced = items.length;
        onSynced();
      },
    }, (type, obj) => {
      const mark = obj.metadata.labels?.["test-mark"];
      if (type === "MODIFIED" && mark) seen.push(mark);
      if (seen.length === marks.length) abort.abort();
    });
    const mark = (value: string) =>
      sim.store.mutate("core/nodes", undefined, "worker-0", (n) => {
        n.metadata.labels = { ...n.metadata.labels, "test-mark": value };
      });
    await firstSync;
    mark("one");
    // The next change goes out only once the server has dropped the first watch connection.
    while (sim.requestLog.records({ verb: "watch", resource: "nodes" }).length < 2 && !abort.signal.aborted) {
      await new Promise((r) => setTimeout(r, 50));
    }
    mark("two");
    await watching;
    clearTimeout(guard);
    assertEquals(seen, marks);
    assert(synced >= 3);
    const watches = sim.requestLog.records({ verb: "watch", resource: "nodes" });
    assert(watches.length >= 2, `the watch was reopened (${watches.length} watch requests)`);
    assertEquals(sim.requestLog.records({ verb: "list", resource: "nodes" }).length, 1, "resumed without a re-list");
  });
});

Deno.test("sim: client-certificate auth (system:admin) and a restricted user's 403 message", async () => {
  await withSim("sdn-restricted-user", async (kube) => {
    const [answer] = await kube.canI([{ verb: "patch", group: "operator.openshift.io", resource: "networks" }]);
    assertEquals(answer.allowed, true);
  }, "system-admin");
  await withSim("sdn-restricted-user", async (kube) => {
    const err = await assertRejects(
      () =>
        kube.patch(R.networkOperator, "cluster", { spec: { migration: { networkType: "OVNKubernetes" } } }, "merge"),
      KubeError,
    );
    assertEquals(err.status, 403);
    assertMatch(err.message, /^You are not allowed to patch networks\.operator\.openshift\.io \(403\)/);
    const [answer] = await kube.canI([{ verb: "patch", group: "operator.openshift.io", resource: "networks" }]);
    assertEquals(answer.allowed, false);
  }, "dev");
});

Deno.test("sim: under injected 503s reads retry through; a create is not repeated unless marked idempotent", async () => {
  await withSim("sdn-small", async (kube, sim) => {
    sim.faults.set({ apiErrorRate: 1, apiErrorCodes: [503], apiErrorVerbs: ["create"] });
    const cm = { metadata: { name: "probe", namespace: "default" }, data: { a: "1" } };
    const err = await assertRejects(() => kube.create(R.configMap, cm), KubeError);
    assertEquals(err.status, 503);
    assertEquals(sim.requestLog.records({ verb: "create", resource: "configmaps" }).length, 1);
    await assertRejects(() => kube.create(R.configMap, cm, { idempotent: true }), KubeError);
    assertEquals(sim.requestLog.records({ verb: "create", resource: "configmaps" }).length, 1 + FAST_RETRY.maxAttempts);

    sim.faults.set({
      apiErrorRate: 0.5,
      apiErrorCodes: [429, 500, 503],
      apiErrorVerbs: ["get", "list"],
      retryAfterSeconds: 0,
    });
    for (let i = 0; i < 5; i++) assert(await kube.get(R.networkConfig, "cluster"));
    assert(sim.requestLog.records({ verb: "get" }).some((r) => r.code >= 429), "faults were injected");
  });
});
