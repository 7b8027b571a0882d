/** preflight in-process against a built-in simulated scenario, through the real client, as users run it. */
import assert from "node:assert/strict";
import { startSim } from "../../sim/sim.ts";
import { connect } from "../../lib/kube/connect.ts";
import { run } from "../../lib/cli/commands/preflight.ts";
import type { PreflightOptions } from "../../lib/verify/options.ts";
import { options } from "./fixtures.ts";
import { fakeContext } from "./fake_io.ts";

export interface SimPreflight {
  code: number;
  out: string;
  err: string;
}

/**
 * Runs preflight (`-o json`, etcd backup confirmed unless `over` says otherwise) and asserts it wrote nothing;
 * `after` then runs against the same cluster before it stops.
 */
export async function preflightOnSim(
  scenario: string,
  over: Partial<PreflightOptions> = {},
  opts: { context?: string; after?: (kubeconfigPath: string) => Promise<void> } = {},
): Promise<SimPreflight> {
  const sim = await startSim({ scenario });
  try {
    const io = fakeContext({
      output: "json",
      kube: () =>
        connect(
          { kubeconfig: sim.kubeconfigPath, context: opts.context },
          { debug: () => {} },
        ),
    });
    const code = await run(io.ctx, options({ etcdBackupConfirmed: true, ...over }));
    // Access reviews are POSTs that store nothing; anything else written would be a bug.
    const writes = sim.requestLog.writes().filter((w) => !w.resource.startsWith("selfsubject"));
    assert.deepEqual(writes.map((w) => `${w.verb} ${w.path}`), [], "preflight never writes");
    await opts.after?.(sim.kubeconfigPath);
    return { code, out: io.out(), err: io.err() };
  } finally {
    await sim.stop();
  }
}
