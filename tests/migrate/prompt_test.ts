/**
 * The confirmation on a terminal (issue 5: "confirmation before the first disruptive step on a terminal"): the
 * CLI runs under a pseudo-terminal (util-linux `script`), the test answers the question as a user would type.
 */
import assert from "node:assert/strict";
import { startSim } from "../../sim/sim.ts";
import { PERMISSION_FLAGS } from "../../lib/permissions.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;
const hasScript = (() => {
  try {
    return new Deno.Command("script", { args: ["--version"], stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
})();

/** Runs `args` on a terminal and types `answer` once the question shows. */
async function onTerminal(args: string[], kubeconfig: string, answer: string) {
  const command = [Deno.execPath(), "run", ...PERMISSION_FLAGS, MAIN, ...args].map((a) => `'${a}'`).join(" ");
  const child = new Deno.Command("script", {
    args: ["-qefc", command, "/dev/null"],
    // No NO_COLOR from the caller (CI sets it): --color never alone must keep the prompt plain.
    clearEnv: true,
    env: {
      ...Object.fromEntries(
        ["PATH", "HOME", "DENO_DIR"].flatMap((k) => Deno.env.has(k) ? [[k, Deno.env.get(k)!]] : []),
      ),
      KUBECONFIG: kubeconfig,
      OVN_MIGRATE_TIME_SCALE: "200",
      TERM: "xterm-256color",
    },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  let out = "";
  let answered = false;
  const decoder = new TextDecoder();
  for await (const chunk of child.stdout) {
    out += decoder.decode(chunk, { stream: true });
    if (!answered && out.includes("(y/N)")) {
      answered = true;
      await writer.write(new TextEncoder().encode(answer));
    }
  }
  await writer.close().catch(() => {});
  const { code } = await child.status;
  await child.stderr.cancel();
  return { code, out };
}

Deno.test({
  name:
    "on a terminal execute asks before the first disruptive step; 'n' stops it with nothing changed, no colour with --color never",
  ignore: !hasScript,
  async fn() {
    const sim = await startSim({ scenario: "sdn-small", timeScale: 200 });
    const backupDir = await Deno.makeTempDir({ prefix: "ovn-migrate-prompt-" });
    try {
      const { code, out } = await onTerminal(
        ["execute", "--method", "offline", "--etcd-backup-confirmed", "--color", "never", "--backup-dir", backupDir],
        sim.kubeconfigPath,
        "n\r",
      );
      assert.equal(code, 1, out);
      // The prompt wraps the question at the terminal's width.
      assert.match(
        out,
        /Migrate https:\/\/\S+ from OpenShift SDN to OVN-Kubernetes \(offline\)\s*\?\s*Every node will reboot/,
      );
      assert.match(out, /you declined\. Nothing disruptive was done/);
      // Colour escapes are SGR sequences (ESC [ … m); the prompt's cursor movements are not colour.
      assert.doesNotMatch(out, new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`), "colour despite --color never");
      const changed = sim.requestLog.writes().filter((w) => w.resource !== "configmaps");
      assert.deepEqual(changed.map((w) => `${w.verb} ${w.path}`), [], "the cluster changed before the answer");
      assert.equal(sim.store.get("operator.openshift.io/networks", undefined, "cluster")!.spec.migration, undefined);
    } finally {
      await sim.stop();
      await Deno.remove(backupDir, { recursive: true });
    }
  },
});
