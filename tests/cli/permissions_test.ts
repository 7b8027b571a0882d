/**
 * The binary's least permissions are enough for real work: main.ts run with exactly PERMISSION_FLAGS reads
 * the simulated cluster over TLS (kubeconfig, client credentials, exec into pods) without a permission
 * error, and -v=10 output carries no token.
 */
import { ok } from "node:assert/strict";
import { startSim } from "../../sim/sim.ts";
import { runMain } from "./helpers.ts";

Deno.test("preflight runs against the simulated cluster with the compiled binary's permissions", async () => {
  const sim = await startSim({ scenario: "sdn-small", controllers: false });
  try {
    const tokens = sim.users.map((u) => u.token).filter((t): t is string => !!t);
    const r = await runMain(["--kubeconfig", sim.kubeconfigPath, "preflight", "-o", "json", "-v=10"]);
    const all = r.stdout + r.stderr;
    ok([0, 3, 4].includes(r.code), `exit ${r.code}: ${r.stderr.slice(-2000)}`);
    ok(!/Requires \w+ access|PermissionDenied|NotCapable/.test(all), r.stderr.slice(-2000));
    JSON.parse(r.stdout);
    for (const t of tokens) ok(!all.includes(t), "a token was printed");
  } finally {
    await sim.stop();
  }
});
