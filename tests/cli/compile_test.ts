import { deepEqual, equal, match, ok, throws } from "node:assert/strict";
import {
  compileArgs,
  isDownloadFailure,
  missingRuntimeMessage,
  outputPath,
  parseCompileArgs,
  TARGETS,
} from "../../scripts/compile.ts";
import { PERMISSION_FLAGS } from "../../lib/permissions.ts";
import { cleanEnv, DENO, ROOT } from "./helpers.ts";

Deno.test("compile targets and output names", () => {
  deepEqual([...TARGETS], [
    "x86_64-unknown-linux-gnu",
    "aarch64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "aarch64-apple-darwin",
    "x86_64-pc-windows-msvc",
  ]);
  equal(outputPath("aarch64-apple-darwin"), "dist/oc-ovn-migrate-aarch64-apple-darwin");
  equal(outputPath("x86_64-pc-windows-msvc"), "dist/oc-ovn-migrate-x86_64-pc-windows-msvc.exe");
});

Deno.test("compile arguments: target, output, least permissions, never --allow-all", () => {
  deepEqual(compileArgs("aarch64-unknown-linux-gnu"), [
    "compile",
    "--target",
    "aarch64-unknown-linux-gnu",
    "--output",
    "dist/oc-ovn-migrate-aarch64-unknown-linux-gnu",
    "--allow-net",
    "--allow-read",
    "--allow-write",
    "--allow-env",
    "--allow-run",
    "--allow-sys=hostname,osRelease,homedir,uid,gid",
    "--config",
    "deno.json",
    "main.ts",
  ]);
  for (const t of TARGETS) {
    const args = compileArgs(t);
    ok(!args.includes("-A") && !args.includes("--allow-all"));
    ok(!args.includes("--allow-ffi") && !args.some((a) => a.startsWith("--allow-import")));
  }
});

Deno.test("deno task ovn-migrate grants the same permissions as the binary", async () => {
  const task: string = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`)).tasks["ovn-migrate"];
  const granted = task.split(/\s+/).filter((w) => w.startsWith("--allow-")).map((f) => f.split("=")[0]).sort();
  deepEqual(granted, PERMISSION_FLAGS.map((f) => f.split("=")[0]).sort());
});

Deno.test("compile argument parsing", () => {
  deepEqual(parseCompileArgs([]).targets, [...TARGETS]);
  const p = parseCompileArgs(["--target", "x86_64-apple-darwin", "--target=x86_64-apple-darwin", "--print"]);
  deepEqual(p.targets, ["x86_64-apple-darwin"]);
  equal(p.print, true);
  throws(() => parseCompileArgs(["--target", "sparc-sun-solaris"]), /--target must be one of/);
  throws(() => parseCompileArgs(["--bogus"]), /unknown argument/);
});

Deno.test("download failures are recognised and explained", () => {
  ok(isDownloadFailure("error sending request for url (https://dl.deno.land/release/v2.9.6/denort-x.zip): dns error"));
  ok(!isDownloadFailure("error: TS2322 Type 'string' is not assignable"));
  const msg = missingRuntimeMessage("could not download", "2.9.6", ["aarch64-apple-darwin"]);
  match(msg, /dl\.deno\.land/);
  match(msg, /https:\/\/dl\.deno\.land\/release\/v2\.9\.6\/denort-aarch64-apple-darwin\.zip/);
  match(msg, /DENORT_BIN=\/path\/to\/denort deno task compile --target aarch64-apple-darwin/);
});

async function compile(args: string[], env: Record<string, string>) {
  const out = await new Deno.Command(DENO, {
    args: ["run", "-A", `${ROOT}/scripts/compile.ts`, ...args],
    cwd: ROOT,
    env: cleanEnv(env),
    clearEnv: true,
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stderr: new TextDecoder().decode(out.stderr) };
}

Deno.test("DENORT_BIN pointing at a missing file: clear message, non-zero exit, nothing built", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const r = await compile(["--target", "x86_64-unknown-linux-gnu"], { DENORT_BIN: `${dir}/no-such-denort` });
    ok(r.code !== 0);
    match(r.stderr, /DENORT_BIN=.*no-such-denort does not exist/);
    match(r.stderr, /cannot reach/);
    match(r.stderr, /denort-x86_64-unknown-linux-gnu\.zip/);
    ok(!r.stderr.includes("deno compile --target"), "no compile attempted");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("--print shows the exact deno compile command per target and builds nothing", async () => {
  const r = await compile(["--print"], {});
  equal(r.code, 0, r.stderr);
  const lines = r.stderr.trim().split("\n");
  deepEqual(lines, TARGETS.map((t) => `deno ${compileArgs(t).join(" ")}`));
});

Deno.test("DENORT_BIN needs exactly one target", async () => {
  const r = await compile([], { DENORT_BIN: DENO });
  equal(r.code, 2);
  match(r.stderr, /one target/);
});
