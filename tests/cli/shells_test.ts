/**
 * The zsh and fish completion scripts driven by the real shells through an installed launcher (skipped
 * where the shell is not installed). Bash is covered in install_test.ts.
 */
import { deepEqual, equal, ok } from "node:assert/strict";
import { install } from "../../lib/cli/commands/install.ts";
import { completionScript } from "../../lib/cli/completion.ts";
import { cleanEnv } from "./helpers.ts";

function has(shell: string): boolean {
  try {
    return new Deno.Command(shell, { args: ["-c", "exit 0"], stdout: "null", stderr: "null" }).outputSync().success;
  } catch {
    return false;
  }
}

async function shell(cmd: string, script: string, path: string): Promise<string> {
  const env = cleanEnv({ PATH: `${path}:${Deno.env.get("PATH") ?? ""}` });
  const out = await new Deno.Command(cmd, {
    args: ["-c", script],
    env,
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  })
    .output();
  equal(out.code, 0, new TextDecoder().decode(out.stderr));
  return new TextDecoder().decode(out.stdout);
}

async function withInstall(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir();
  try {
    await install(dir, () => undefined);
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test({
  name: "fish: completes commands, flags, --flag= values and falls back to files",
  ignore: Deno.build.os === "windows" || !has("fish"),
  async fn() {
    await withInstall(async (dir) => {
      await Deno.writeTextFile(`${dir}/c.fish`, completionScript("fish"));
      const out = await shell(
        "fish",
        [
          `source ${dir}/c.fish`,
          "complete -C 'oc-ovn-migrate st'",
          "echo ---",
          "complete -C 'oc-ovn-migrate execute --method='",
          "echo ---",
          `complete -C 'oc-ovn-migrate --kubeconfig ${dir}/c.fi'`,
        ].join("; "),
        dir,
      );
      const [cmds, methods, files] = out.split("---\n").map((s) => s.trim().split("\n"));
      deepEqual(cmds, ["status\tshow where the migration is; --watch follows it"]);
      deepEqual(methods.map((l) => l.split("\t")[0]), ["--method=auto", "--method=live", "--method=offline"]);
      deepEqual(files, [`${dir}/c.fish`]);
    });
  },
});

Deno.test({
  name: "zsh: the script parses and hands candidates with descriptions to _describe",
  ignore: Deno.build.os === "windows" || !has("zsh"),
  async fn() {
    await withInstall(async (dir) => {
      await Deno.writeTextFile(`${dir}/_oc`, completionScript("zsh"));
      const out = await shell(
        "zsh",
        [
          "compdef() { :; }",
          '_describe() { print -rl -- "$@" "${(@P)4}"; }',
          '_files() { print -r -- FILES "$@"; }',
          `source ${dir}/_oc`,
          "words=(oc-ovn-migrate execute --method=l); CURRENT=3; _oc_ovn_migrate",
          "echo ---",
          "words=(oc-ovn-migrate --kubeconfig ''); CURRENT=3; _oc_ovn_migrate",
        ].join("\n"),
        dir,
      );
      const [methods, files] = out.split("---\n");
      ok(methods.includes("-P\n--method=\n"), methods);
      ok(methods.includes("live:limited live migration"), methods);
      equal(files.trim(), "FILES");
    });
  },
});
