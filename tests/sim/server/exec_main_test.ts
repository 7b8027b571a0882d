/**
 * pods/exec wiring (the upgrade goes to the exec server, which runs the command through ctx.exec and
 * reports the exit code on the status channel as kubelet does), and the `deno task sim` entry point
 * (one ready line on stdout, clean stop on SIGTERM, exit 2 on bad arguments).
 */
import assert from "node:assert/strict";
import { kubectl, startTestSim } from "./helpers.ts";

Deno.test("kubectl exec runs the registered handler and passes its exit code", async () => {
  const sim = await startTestSim();
  try {
    sim.ctx.exec.register((req) =>
      req.command[0] === "greet"
        ? { stdout: `hello from ${req.pod.metadata.name}/${req.container}\n`, exitCode: 0 }
        : undefined
    );
    const ok = await kubectl(sim, ["exec", "-n", "default", "web-1", "--", "greet"]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.equal(ok.stdout, "hello from web-1/main\n");
    const missing = await kubectl(sim, ["exec", "-n", "default", "web-1", "--", "nosuch"]);
    assert.equal(missing.code, 127);
    const recs = sim.requestLog.records().filter((r) => r.subresource === "exec");
    assert.ok(recs.length >= 2);
  } finally {
    await sim.stopAll();
  }
});

const MAIN = new URL("../../../sim/main.ts", import.meta.url).pathname;
const DENO = Deno.execPath();

Deno.test("sim/main.ts prints one ready line, serves, and stops on SIGTERM", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const scenario = `${dir}/s.yaml`;
    await Deno.writeTextFile(
      scenario,
      "name: main-test\nusers:\n  - name: kube:admin\n    clusterAdmin: true\n",
    );
    const kubeconfig = `${dir}/kubeconfig`;
    const child = new Deno.Command(DENO, {
      args: ["run", "-A", MAIN, "--scenario", scenario, "--kubeconfig", kubeconfig, "--time-scale", "10"],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!text.includes("\n")) {
      const r = await reader.read();
      if (r.done) break;
      text += r.value;
    }
    const ready = JSON.parse(text.split("\n")[0]);
    assert.equal(ready.ready, true);
    assert.match(ready.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(ready.kubeconfig, kubeconfig);
    assert.equal(ready.scenario, "main-test");
    const get = await new Deno.Command("kubectl", {
      args: [`--kubeconfig=${kubeconfig}`, `--cache-dir=${dir}/cache`, "get", "--raw", "/version"],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(get.code, 0, new TextDecoder().decode(get.stderr));
    assert.match(new TextDecoder().decode(get.stdout), /"gitVersion":"v1\.29\./);
    child.kill("SIGTERM");
    const status = await child.status;
    assert.equal(status.code, 0);
    while (!(await reader.read()).done) { /* drain */ }
    await child.stderr.cancel();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sim/main.ts exits 2 with a message on bad arguments", async () => {
  const out = await new Deno.Command(DENO, {
    args: ["run", "-A", MAIN, "--port", "x"],
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  assert.equal(out.code, 2);
  assert.match(new TextDecoder().decode(out.stderr), /--scenario is required|usage/);
  assert.equal(new TextDecoder().decode(out.stdout), "");
});
