/**
 * `deno task bench`: the speed and memory goals, measured against the simulated cluster (never in
 * tests). Prints a table; `--json FILE` also writes the figures.
 */
import { parseArgs } from "node:util";
import { startSim } from "../sim/sim.ts";
import { formatTable } from "../lib/cli/output.ts";
import { benchPreflight } from "./preflight_bench.ts";
import { benchStatus } from "./status_bench.ts";
import { formatRow } from "./measure.ts";

const { values } = parseArgs({
  options: { json: { type: "string" }, scenario: { type: "string", default: "sdn-large" } },
});

const t0 = performance.now();
const sim = await startSim({ scenario: values.scenario!, timeScale: 1 });
console.error(`simulated cluster ${values.scenario} ready in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
const results: Record<string, unknown> = {};
try {
  const { preflight, kubectl } = await benchPreflight(sim);
  results.preflight = { preflight, kubectl };
  const ratio = (a: number, b: number) => b === 0 ? "–" : `${(a / b).toFixed(1)}×`;
  console.log(`\npreflight on ${values.scenario}\n`);
  console.log(
    formatTable([
      ["run", "wall time", "peak memory", "API requests", "bytes received"],
      formatRow(preflight),
      formatRow(kubectl),
    ]),
  );
  console.log(
    `\nkubectl / preflight: time ${ratio(kubectl.wallMs, preflight.wallMs)}, memory ${
      ratio(kubectl.peakMiB, preflight.peakMiB)
    }, requests ${ratio(kubectl.requests, preflight.requests)}, bytes ${ratio(kubectl.bytesOut, preflight.bytesOut)}`,
  );
  if (preflight.exitCodes.some((c) => c === 1 || c === 2)) console.error(`preflight exited ${preflight.exitCodes}`);

  const status = await benchStatus(sim);
  results.status = status;
  console.log(`\nstatus --watch on ${values.scenario}: steady-state API load\n`);
  const mb = (b: number) => `${(b / 1024 / 1024).toFixed(1)} MiB`;
  console.log(formatTable([
    ["run", "requests/min", "bytes/min"],
    ["status --watch (oc-ovn-migrate)", String(status.statusRequestsPerMinute), mb(status.statusBytesPerMinute)],
    [
      `kubectl polling loop, every second (${status.pollingRounds} rounds)`,
      String(status.pollingRequestsPerMinute),
      mb(status.pollingBytesPerMinute),
    ],
  ]));
} finally {
  await sim.stop();
}
if (values.json) await Deno.writeTextFile(values.json, JSON.stringify(results, null, 2) + "\n");
