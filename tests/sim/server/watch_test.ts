/**
 * Watch as kube-apiserver serves it: newline-delimited JSON events ADDED/MODIFIED/DELETED over a chunked
 * response, resume from a resourceVersion, BOOKMARK with allowWatchBookmarks, timeoutSeconds, 410 Gone as an
 * ERROR event (reason Expired) for a compacted resourceVersion, watches dropped by the fault injector, and
 * `kubectl get -w` bounded by --request-timeout.
 */
import assert from "node:assert/strict";
import type { Obj } from "../../../sim/store.ts";
import type { TestSim } from "./helpers.ts";
import { kubectl, startTestSim, tokenOf } from "./helpers.ts";

interface WatchStream {
  next(ms?: number): Promise<Obj | undefined>;
  close(): Promise<void>;
}

async function openWatch(sim: TestSim, path: string): Promise<WatchStream> {
  const ca = await Deno.readTextFile(new URL("../../../sim/certs/ca.crt", import.meta.url));
  const client = Deno.createHttpClient({ caCerts: [ca] });
  const ac = new AbortController();
  const res = await fetch(sim.url + path, {
    headers: { Authorization: `Bearer ${tokenOf(sim)}` },
    client,
    signal: ac.signal,
  });
  assert.equal(res.status, 200);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  let ended = false;
  return {
    async next(ms = 5000) {
      const deadline = Date.now() + ms;
      while (true) {
        const nl = buf.indexOf("\n");
        if (nl >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          return JSON.parse(line);
        }
        if (ended) return undefined;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error("no watch event in time");
        let timer: ReturnType<typeof setTimeout> | undefined;
        const r = await Promise.race([
          reader.read(),
          new Promise<"timeout">((resolve) => (timer = setTimeout(() => resolve("timeout"), left))),
        ]);
        clearTimeout(timer);
        if (r === "timeout") throw new Error("no watch event in time");
        if (r.done) ended = true;
        else buf += r.value;
      }
    },
    async close() {
      ac.abort();
      await reader.cancel().catch(() => {});
      client.close();
    },
  };
}

Deno.test("watch streams ADDED, MODIFIED and DELETED and resumes after a resourceVersion", async () => {
  const sim = await startTestSim();
  try {
    const w = await openWatch(sim, "/api/v1/namespaces/default/pods?watch=1&labelSelector=app%3Dweb");
    const initial = [await w.next(), await w.next()];
    assert.deepEqual(initial.map((e) => [e!.type, e!.object.metadata.name]), [["ADDED", "web-1"], ["ADDED", "web-2"]]);
    const modified = sim.store.mutate("core/pods", "default", "web-1", (o) => {
      o.metadata.annotations = { touched: "yes" };
    });
    sim.store.mutate("core/pods", "default", "db-1", (o) => {
      o.metadata.annotations = { ignored: "by the selector" };
    });
    sim.store.delete("core/pods", "default", "web-2");
    const m = await w.next();
    assert.equal(m!.type, "MODIFIED");
    assert.equal(m!.object.metadata.resourceVersion, modified.metadata.resourceVersion);
    const d = await w.next();
    assert.deepEqual([d!.type, d!.object.metadata.name], ["DELETED", "web-2"]);
    await w.close();

    const resumed = await openWatch(
      sim,
      `/api/v1/pods?watch=true&resourceVersion=${modified.metadata.resourceVersion}`,
    );
    const events = [await resumed.next(), await resumed.next()];
    assert.deepEqual(events.map((e) => [e!.type, e!.object.metadata.name]), [["MODIFIED", "db-1"], [
      "DELETED",
      "web-2",
    ]]);
    await resumed.close();
  } finally {
    await sim.stopAll();
  }
});

Deno.test("BOOKMARK events with allowWatchBookmarks, and timeoutSeconds ends the stream", async () => {
  const sim = await startTestSim();
  try {
    const rv = sim.store.resourceVersion();
    const w = await openWatch(
      sim,
      `/api/v1/pods?watch=1&resourceVersion=${rv}&allowWatchBookmarks=true&timeoutSeconds=2`,
    );
    const b = await w.next(3000);
    assert.equal(b!.type, "BOOKMARK");
    assert.equal(b!.object.kind, "Pod");
    assert.equal(b!.object.metadata.resourceVersion, rv);
    let e: Obj | undefined;
    do e = await w.next(5000); while (e);
    await w.close();
    assert.equal(sim.ctx.store.resourceVersion(), rv);
  } finally {
    await sim.stopAll();
  }
});

Deno.test("a too-old resourceVersion is an ERROR event with a 410 Expired Status", async () => {
  const sim = await startTestSim();
  try {
    // Push the first events out of the store's watch history (it keeps the last 20,000-25,000 changes).
    for (let i = 0; i < 30_000; i++) {
      sim.store.mutate("core/pods", "default", "db-1", (o) => {
        o.metadata.annotations = { n: String(i) };
      });
    }
    const w = await openWatch(sim, "/api/v1/pods?watch=1&resourceVersion=2");
    const e = await w.next();
    assert.equal(e!.type, "ERROR");
    assert.equal(e!.object.kind, "Status");
    assert.equal(e!.object.code, 410);
    assert.equal(e!.object.reason, "Expired");
    assert.match(e!.object.message, /too old resource version: 2/);
    assert.equal(await w.next(), undefined);
    await w.close();
  } finally {
    await sim.stopAll();
  }
});

Deno.test("faults.dropWatchesAfterSeconds closes watches; kubectl get -w is bounded by --request-timeout", async () => {
  const sim = await startTestSim();
  try {
    sim.faults.set({ dropWatchesAfterSeconds: 0.3 });
    const w = await openWatch(sim, `/api/v1/pods?watch=1&resourceVersion=${sim.store.resourceVersion()}`);
    assert.equal(await w.next(3000), undefined);
    await w.close();
    sim.faults.set({ dropWatchesAfterSeconds: undefined });

    const watching = kubectl(sim, ["get", "pods", "-n", "default", "-w", "--request-timeout=3s"]);
    await new Promise((r) => setTimeout(r, 1500));
    sim.store.mutate("core/pods", "default", "db-1", (o) => {
      o.status = { phase: "Failed" };
    }, { subresource: "status" });
    const r = await watching;
    const lines = r.stdout.trim().split("\n");
    assert.match(lines[0], /^NAME\s+READY\s+STATUS/);
    assert.ok(lines.some((l) => /^db-1\s+0\/1\s+Failed/.test(l)), r.stdout);
  } finally {
    await sim.stopAll();
  }
});

Deno.test("sendInitialEvents=true: current state as ADDED, then a BOOKMARK marking the end of initial events", async () => {
  const sim = await startTestSim();
  try {
    const w = await openWatch(
      sim,
      "/api/v1/namespaces/default/pods?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true",
    );
    const events = [await w.next(), await w.next(), await w.next(), await w.next()];
    assert.deepEqual(events.slice(0, 3).map((e) => `${e!.type} ${e!.object.metadata.name}`).sort(), [
      "ADDED db-1",
      "ADDED web-1",
      "ADDED web-2",
    ]);
    assert.equal(events[3]!.type, "BOOKMARK");
    assert.equal(events[3]!.object.metadata.annotations["k8s.io/initial-events-end"], "true");
    await w.close();
  } finally {
    await sim.stopAll();
  }
});
