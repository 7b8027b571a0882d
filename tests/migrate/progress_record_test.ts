/** The progress record is read through its schema: a valid one comes back as it was, a damaged one stops the run. */
import assert from "node:assert/strict";
import { CliError } from "../../lib/errors.ts";
import { parseRecord, PROGRESS_NAME, PROGRESS_NAMESPACE } from "../../lib/migrate/progress.ts";

const record = {
  apiVersion: "ovn-migrate.openshift.io/v1alpha1",
  kind: "MigrationProgress",
  operation: "migrate",
  method: "offline",
  from: "OpenShiftSDN",
  to: "OVNKubernetes",
  startedAt: "2026-12-03T10:00:00.000Z",
  updatedAt: "2026-12-03T10:05:00.000Z",
  runs: [{ host: "bastion", startedAt: "2026-12-03T10:00:00.000Z", version: "0.1.0" }],
  steps: { backup: { completedAt: "2026-12-03T10:01:00.000Z" } },
  data: { bootIDsAtFlip: { "worker-0": "a" } },
};
const cm = (data: Record<string, string>) => ({
  metadata: { name: PROGRESS_NAME, namespace: PROGRESS_NAMESPACE },
  data,
});

Deno.test("progress record: absent → none; valid → parsed as written", () => {
  assert.equal(parseRecord(undefined), undefined);
  assert.deepEqual(parseRecord(cm({ "progress.json": JSON.stringify(record) })), record);
});

Deno.test("progress record: damaged → an error (exit 3) naming the ConfigMap, the problem and the repair", () => {
  const damaged: [Record<string, string>, RegExp][] = [
    [{ "progress.json": "{not json" }, /progress\.json is not JSON/],
    [
      { "progress.json": JSON.stringify({ ...record, steps: { backup: { completedAt: 7 } } }) },
      /steps\.backup\.completedAt/,
    ],
    [{ "progress.json": JSON.stringify({ ...record, operation: "dance" }) }, /field operation/],
    [{ other: "x" }, /no data key progress\.json/],
  ];
  for (const [data, why] of damaged) {
    assert.throws(() => parseRecord(cm(data)), (e: unknown) => {
      assert.ok(e instanceof CliError);
      assert.equal(e.exitCode, 3);
      assert.match(e.message, /kube-system\/oc-ovn-migrate-progress is damaged/);
      assert.match(e.message, why);
      assert.match(e.hint ?? "", /progress\.json/);
      return true;
    });
  }
});
