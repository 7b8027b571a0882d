/**
 * The README's "main job" against the built-in simulated cluster: start `sdn-small` (time sped up),
 * then run what an administrator runs — preflight, the offline migration, status — exactly as the
 * plugin runs (a subprocess with the compiled binary's permissions and a kubeconfig).
 *
 *   deno task demo [--scenario NAME] [--time-scale X] [--method offline|live]
 */
import { parseArgs } from "node:util";
import { startSim } from "../sim/sim.ts";
import { PERMISSION_FLAGS } from "../lib/permissions.ts";

const { values } = parseArgs({
  options: {
    scenario: { type: "string", default: "sdn-small" },
    "time-scale": { type: "string", default: "120" },
    method: { type: "string", default: "offline" },
  },
});

const main = new URL("../main.ts", import.meta.url).pathname;
const sim = await startSim({ scenario: values.scenario!, timeScale: Number(values["time-scale"]) });
console.error(`simulated cluster "${values.scenario}" serving at ${sim.url} (kubeconfig ${sim.kubeconfigPath})\n`);

async function run(...args: string[]): Promise<number> {
  console.error(`\n$ oc ovn-migrate ${args.join(" ")}`);
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSION_FLAGS, main, ...args],
    env: { KUBECONFIG: sim.kubeconfigPath, OVN_MIGRATE_TIME_SCALE: values["time-scale"]! },
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  return (await child.status).code;
}

const backupDir = await Deno.makeTempDir({ prefix: "ovn-migrate-demo-" });
let code = 0;
try {
  await run("preflight", "--method", "auto");
  code = await run(
    "execute",
    "--method",
    values.method!,
    "--yes",
    "--etcd-backup-confirmed",
    "--backup-dir",
    backupDir,
  );
  await run("status");
} finally {
  await sim.stop();
}
console.error(
  code === 0
    ? `\ndemo finished: the cluster runs OVN-Kubernetes (backup in ${backupDir})`
    : `\ndemo stopped (exit ${code})`,
);
Deno.exit(code);
