import { deepEqual, equal, match, ok } from "node:assert/strict";
import { complete, completionScript, Directive, formatCompletion } from "../../lib/cli/completion.ts";
import { createMemoryIo } from "../../lib/cli/io.ts";
import { buildProgram } from "../../lib/cli/program.ts";
import { runInProcess } from "./helpers.ts";

function program() {
  return buildProgram({ io: createMemoryIo(), code: 0, verbose: 0 });
}
const values = (c: { candidates: { value: string }[] }) => c.candidates.map((x) => x.value);
const fakeChecks = () => Promise.resolve([{ id: "mtu-headroom", title: "MTU headroom" }, { id: "etcd-backup" }]);

Deno.test("__complete output: candidates with tab descriptions, last line :<directive>", async () => {
  const r = await runInProcess(["__complete", "st"]);
  equal(r.code, 0);
  equal(r.stdout, "status\tshow where the migration is; --watch follows it\n:4\n");
  match(r.stderr, /Completion ended with directive: ShellCompDirectiveNoFileComp/);
  const nodesc = await runInProcess(["__completeNoDesc", "st"]);
  equal(nodesc.stdout, "status\n:4\n");
});

Deno.test("subcommands at the root, with an empty word", async () => {
  const c = await complete(program(), [], "", fakeChecks);
  deepEqual(values(c), [
    "preflight",
    "execute",
    "status",
    "cleanup",
    "rollback",
    "version",
    "completion",
    "install",
    "help",
  ]);
  equal(c.directive, Directive.NoFileComp);
});

Deno.test("flags of the command plus global flags; used flags are not offered again", async () => {
  const c = await complete(program(), ["execute", "--dry-run"], "--", fakeChecks);
  const v = values(c);
  ok(v.includes("--method") && v.includes("--reboot-batch") && v.includes("--kubeconfig") && v.includes("--help"));
  ok(!v.includes("--dry-run"), "already used");
  ok(!v.includes("--watch"), "status flag not offered for execute");
  const prefixed = values(await complete(program(), ["execute"], "--re", fakeChecks));
  deepEqual(prefixed, ["--reboot", "--reboot-batch", "--request-timeout"]);
  const short = values(await complete(program(), ["status"], "-", fakeChecks));
  ok(short.includes("-o") && short.includes("-v") && short.includes("-s") && short.includes("--watch"));
});

Deno.test("enum values for --method, -o, --color, --reboot (also in --flag= form)", async () => {
  deepEqual(values(await complete(program(), ["execute", "--method"], "", fakeChecks)), ["auto", "offline", "live"]);
  deepEqual(values(await complete(program(), ["rollback", "--method"], "", fakeChecks)), ["offline", "live"]);
  deepEqual(values(await complete(program(), ["version", "-o"], "j", fakeChecks)), ["json"]);
  deepEqual(values(await complete(program(), ["--color"], "", fakeChecks)), ["auto", "always", "never"]);
  deepEqual(values(await complete(program(), ["execute"], "--reboot=s", fakeChecks)), ["ssh"]);
  const m = await complete(program(), ["execute", "--method"], "", fakeChecks);
  match(formatCompletion(m, true), /^auto\tevaluate both methods/);
});

Deno.test("check ids for --skip-check and --only", async () => {
  const c = await complete(program(), ["preflight", "--only"], "mtu", fakeChecks);
  deepEqual(c.candidates, [{ value: "mtu-headroom", description: "MTU headroom" }]);
  const repeated = await complete(
    program(),
    ["preflight", "--skip-check", "mtu-headroom", "--skip-check"],
    "",
    fakeChecks,
  );
  equal(repeated.candidates.length, 2);
  const flags = values(await complete(program(), ["preflight", "--skip-check", "x"], "--sk", fakeChecks));
  deepEqual(flags, ["--skip-check"], "repeatable flags stay on offer");
});

Deno.test("file and directory flags hand over to the shell", async () => {
  equal((await complete(program(), ["--kubeconfig"], "", fakeChecks)).directive, Directive.Default);
  equal((await complete(program(), ["preflight", "--facts"], "", fakeChecks)).directive, Directive.Default);
  equal((await complete(program(), ["install", "--dir"], "", fakeChecks)).directive, Directive.FilterDirs);
});

Deno.test("flag values are skipped when walking; completion shells; nothing after a full command", async () => {
  const c = await complete(program(), ["--context", "status", "execute"], "--dr", fakeChecks);
  deepEqual(values(c), ["--dry-run"], "'status' was the --context value, so the command is execute");
  deepEqual(values(await complete(program(), ["completion"], "", fakeChecks)), ["bash", "zsh", "fish"]);
  deepEqual(values(await complete(program(), ["completion", "bash"], "", fakeChecks)), []);
  deepEqual(values(await complete(program(), ["version"], "", fakeChecks)), []);
  deepEqual(values(await complete(program(), ["help"], "ro", fakeChecks)), ["rollback"]);
});

Deno.test("completion scripts call __complete and register the plugin names", async () => {
  for (const shell of ["bash", "zsh", "fish"] as const) {
    const s = completionScript(shell);
    ok(s.includes("__complete"), shell);
    for (const name of ["oc-ovn-migrate", "kubectl-ovn_migrate", "oc-ovn_migrate"]) ok(s.includes(name), shell + name);
  }
  const r = await runInProcess(["completion", "bash"]);
  equal(r.code, 0);
  match(r.stdout, /complete -F _oc_ovn_migrate oc-ovn-migrate/);
});

Deno.test("the bash script is valid bash syntax", async () => {
  const bash = await new Deno.Command("bash", { args: ["-n"], stdin: "piped", stderr: "piped" }).spawn();
  const w = bash.stdin.getWriter();
  await w.write(new TextEncoder().encode(completionScript("bash")));
  await w.close();
  const out = await bash.output();
  equal(out.code, 0, new TextDecoder().decode(out.stderr));
});

Deno.test("--context, --cluster and --user complete from the kubeconfig (--kubeconfig honoured)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const kc = `${dir}/kc.yaml`;
    await Deno.writeTextFile(
      kc,
      [
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: prod, cluster: {server: 'https://a'}}, {name: lab, cluster: {server: 'https://b'}}]",
        "users: [{name: admin, user: {token: 'sha256~never-printed'}}]",
        "contexts: [{name: prod-admin, context: {cluster: prod, user: admin}}, {name: lab-admin, context: {cluster: lab, user: admin}}]",
        "current-context: prod-admin",
      ].join("\n"),
    );
    deepEqual(values(await complete(program(), ["--kubeconfig", kc, "--context"], "", fakeChecks)), [
      "prod-admin",
      "lab-admin",
    ]);
    deepEqual(values(await complete(program(), [`--kubeconfig=${kc}`, "status"], "--cluster=l", fakeChecks)), ["lab"]);
    const users = await runInProcess(["__complete", "--kubeconfig", kc, "--user", ""]);
    equal(users.stdout, "admin\n:4\n");
    ok(!users.stdout.includes("never-printed"));
    deepEqual(values(await complete(program(), ["--kubeconfig", `${dir}/missing`, "--context"], "", fakeChecks)), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
