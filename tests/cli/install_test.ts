/** `install` into a temporary directory, then real kubectl dispatching to the installed plugin. */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { COMPLETION_HELPERS, completionHelperScript, install, PLUGIN_LINKS } from "../../lib/cli/commands/install.ts";
import { cleanEnv, ROOT, runMain } from "./helpers.ts";

const isWindows = Deno.build.os === "windows";

async function hasKubectl(): Promise<boolean> {
  try {
    return (await new Deno.Command("kubectl", { args: ["version", "--client"], stdout: "null", stderr: "null" })
      .output()).code === 0;
  } catch {
    return false;
  }
}

async function run(
  cmd: string,
  args: string[],
  path: string,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = cleanEnv({ PATH: `${path}:${Deno.env.get("PATH") ?? ""}` });
  const out = await new Deno.Command(cmd, { args, env, clearEnv: true, stdout: "piped", stderr: "piped" }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test({
  name: "install, then `kubectl ovn-migrate version` and plugin completion through the installed plugin",
  ignore: isWindows,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const bin = `${dir}/bin`;
      const first = await runMain(["install", "--dir", bin]);
      equal(first.code, 0, first.stderr);
      match(first.stdout, /launcher script/);
      match(first.stdout, /is not on PATH/);
      for (const name of PLUGIN_LINKS) equal(await Deno.readLink(`${bin}/${name}`), "oc-ovn-migrate");
      for (const [i, name] of COMPLETION_HELPERS.entries()) {
        equal(await Deno.readTextFile(`${bin}/${name}`), completionHelperScript(PLUGIN_LINKS[i]));
        ok(((await Deno.stat(`${bin}/${name}`)).mode! & 0o111) !== 0, "executable");
      }

      // Idempotent: a second run changes nothing.
      const again = await runMain(["install", "--dir", bin, "-o", "json"]);
      equal(again.code, 0, again.stderr);
      const report = JSON.parse(again.stdout);
      deepEqual(new Set(report.entries.map((e: { change: string }) => e.change)), new Set(["unchanged"]));
      equal(report.kind, "launcher");

      if (!(await hasKubectl())) return;
      const v = await run("kubectl", ["ovn-migrate", "version"], bin);
      equal(v.code, 0, v.stderr);
      match(v.stdout, /^oc-ovn-migrate \d+\.\d+\.\d+ \(deno /);
      const j = await run("kubectl", ["ovn-migrate", "version", "-o", "json"], bin);
      equal(JSON.parse(j.stdout).os, Deno.build.os);
      const bad = await run("kubectl", ["ovn-migrate", "execute", "--method", "live", "--mtu", "1"], bin);
      equal(bad.code, 2, "exit codes pass through kubectl");
      match(bad.stderr, /--mtu/);

      // kubectl's own completion finds kubectl_complete-ovn_migrate (kubectl ≥ 1.26).
      const c = await run("kubectl", ["__complete", "ovn-migrate", "exe"], bin);
      equal(c.code, 0, c.stderr);
      match(c.stdout, /^execute\t/m);
      match(c.stdout, /^:4$/m);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "the bash completion script completes through the installed launcher",
  ignore: isWindows,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      await install(dir, () => undefined);
      const script = (await runMain(["completion", "bash"])).stdout;
      await Deno.writeTextFile(`${dir}/comp.bash`, script);
      const probe = [
        `source ${dir}/comp.bash`,
        "COMP_WORDS=(oc-ovn-migrate execute --reboot '')",
        "COMP_CWORD=3",
        "_oc_ovn_migrate",
        'printf "%s\\n" "${COMPREPLY[@]}"',
      ].join("\n");
      const r = await run("bash", ["-c", probe], dir);
      equal(r.code, 0, r.stderr);
      deepEqual(r.stdout.trim().split("\n"), ["exec", "ssh", "none"]);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test({
  name: "install of a compiled binary copies it and replaces wrong links",
  ignore: isWindows,
  async fn() {
    const dir = await Deno.makeTempDir();
    try {
      const fake = `${dir}/built-oc-ovn-migrate`;
      await Deno.writeTextFile(fake, "#!/bin/sh\necho fake binary\n");
      await Deno.symlink("/nonexistent", `${dir}/kubectl-ovn_migrate`);
      const source = { standalone: true, execPath: fake, repoRoot: ROOT };
      const report = await install(dir, (n) => (n === "PATH" ? `/usr/bin:${dir}` : undefined), source);
      equal(report.kind, "binary");
      equal(report.onPath, true);
      equal(await Deno.readTextFile(`${dir}/oc-ovn-migrate`), "#!/bin/sh\necho fake binary\n");
      equal(await Deno.readLink(`${dir}/kubectl-ovn_migrate`), "oc-ovn-migrate");
      equal(report.entries.find((e) => e.path.endsWith("/kubectl-ovn_migrate"))?.change, "updated");
      const second = await install(dir, () => undefined, source);
      ok(second.entries.every((e) => e.change === "unchanged"));
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});

Deno.test("repo bin/ completion shims are the ones install writes", async () => {
  for (const [i, name] of COMPLETION_HELPERS.entries()) {
    equal(await Deno.readTextFile(`${ROOT}/bin/${name}`), completionHelperScript(PLUGIN_LINKS[i]));
  }
});
