/**
 * Paging over the sorted list index (kube-apiserver's list order: namespace/name; a continue token resumes
 * after the last key returned, so objects created or deleted between pages neither repeat nor shift the
 * page), namespace ranges, selectors with limit, and remainingItemCount only without selectors.
 */
import assert from "node:assert/strict";
import { newSimContext } from "../../../sim/context.ts";
import { ScenarioSpec } from "../../../sim/scenario/schema.ts";
import { ListIndex, listPage } from "../../../sim/server/rest.ts";
import type { Obj } from "../../../sim/store.ts";

function setup() {
  const ctx = newSimContext(ScenarioSpec.parse({ name: "list-index" }));
  for (const ns of ["a", "a-b", "b"]) ctx.store.create("core/namespaces", { metadata: { name: ns } });
  for (const ns of ["a", "a-b", "b"]) {
    for (let i = 0; i < 5; i++) {
      ctx.store.create("core/configmaps", {
        metadata: { name: `cm-${i}`, namespace: ns, labels: { even: String(i % 2 === 0) } },
      });
    }
  }
  return { ctx, index: new ListIndex(ctx.store) };
}

const ids = (items: Obj[]) => items.map((o) => `${o.metadata.namespace}/${o.metadata.name}`);

Deno.test("namespace ranges are exact even when one namespace name prefixes another", () => {
  const { ctx, index } = setup();
  try {
    assert.deepEqual(ids(listPage(ctx.store, index, "core/configmaps", { namespace: "a" }).items), [
      "a/cm-0",
      "a/cm-1",
      "a/cm-2",
      "a/cm-3",
      "a/cm-4",
    ]);
    assert.equal(listPage(ctx.store, index, "core/configmaps", { namespace: "a-b" }).items.length, 5);
    assert.equal(listPage(ctx.store, index, "core/configmaps", { namespace: "zzz" }).items.length, 0);
  } finally {
    index.stop();
    ctx.clock.stop();
  }
});

Deno.test("pages stay consistent while objects are created and deleted between them", () => {
  const { ctx, index } = setup();
  try {
    const p1 = listPage(ctx.store, index, "core/configmaps", { limit: 4 });
    // Keys sort as etcd's do: "a-b/…" before "a/…" ("-" < "/").
    assert.deepEqual(ids(p1.items), ["a-b/cm-0", "a-b/cm-1", "a-b/cm-2", "a-b/cm-3"]);
    assert.equal(p1.remainingItemCount, 11);
    ctx.store.delete("core/configmaps", "a-b", "cm-1"); // before the cursor: no effect on later pages
    ctx.store.delete("core/configmaps", "a", "cm-0"); // after the cursor: skipped
    ctx.store.create("core/configmaps", { metadata: { name: "cm-9", namespace: "a" } }); // after the cursor
    const p2 = listPage(ctx.store, index, "core/configmaps", { limit: 4, continue: p1.continue });
    assert.deepEqual(ids(p2.items), ["a-b/cm-4", "a/cm-1", "a/cm-2", "a/cm-3"]);
    assert.equal(p2.resourceVersion, p1.resourceVersion, "a continued list keeps the first page's resourceVersion");
    const rest = listPage(ctx.store, index, "core/configmaps", { continue: p2.continue });
    assert.deepEqual(ids(rest.items), ["a/cm-4", "a/cm-9", "b/cm-0", "b/cm-1", "b/cm-2", "b/cm-3", "b/cm-4"]);
    assert.equal(rest.continue, undefined);
  } finally {
    index.stop();
    ctx.clock.stop();
  }
});

Deno.test("selectors with limit: a continue token only when more matches exist, no remainingItemCount", () => {
  const { ctx, index } = setup();
  try {
    const p1 = listPage(ctx.store, index, "core/configmaps", { labelSelector: "even=true", limit: 8 });
    assert.equal(p1.items.length, 8);
    assert.equal(p1.remainingItemCount, undefined);
    assert.ok(p1.continue);
    const p2 = listPage(ctx.store, index, "core/configmaps", {
      labelSelector: "even=true",
      limit: 8,
      continue: p1.continue,
    });
    assert.equal(p2.items.length, 1);
    assert.equal(p2.continue, undefined);
    const exact = listPage(ctx.store, index, "core/configmaps", { labelSelector: "even=true", limit: 9 });
    assert.equal(exact.continue, undefined);
    assert.throws(() => listPage(ctx.store, index, "core/configmaps", { labelSelector: "a in (" }), /unable to parse/);
  } finally {
    index.stop();
    ctx.clock.stop();
  }
});
