/**
 * `--help` of every command and the completion outputs are a user-facing contract: they must not change by
 * accident (issue 11 moved every command into its own module). The fixtures were captured before that change;
 * a deliberate change of help text updates them in the same commit:
 * `UPDATE_FIXTURES=1 deno test --allow-all tests/cli/help_fixtures_test.ts`, then review the diff.
 */
import { equal } from "node:assert/strict";
import { runInProcess } from "./helpers.ts";

const FIXTURES = new URL("./fixtures/help/", import.meta.url);
const UPDATE = Deno.env.get("UPDATE_FIXTURES") === "1";

/** Compares with the fixture, or (UPDATE_FIXTURES=1) rewrites it. */
async function matchesFixture(name: string, got: string): Promise<void> {
  const file = new URL(name, FIXTURES);
  if (UPDATE) await Deno.writeTextFile(file, got);
  equal(got, await Deno.readTextFile(file));
}

const COMMANDS = ["root", "preflight", "execute", "status", "cleanup", "rollback", "version", "completion", "install"];

for (const command of COMMANDS) {
  Deno.test(`${command === "root" ? "" : `${command} `}--help is unchanged (fixture ${command}.txt)`, async () => {
    const r = await runInProcess(command === "root" ? ["--help"] : [command, "--help"], {
      env: { HOME: "/home/user" },
    });
    equal(r.code, 0);
    await matchesFixture(`${command}.txt`, r.stdout);
  });
}

const COMPLETIONS: string[][] = [
  [""],
  ["ex"],
  ["execute", "--"],
  ["preflight", "--"],
  ["rollback", "--"],
  ["status", "--"],
  ["cleanup", "--"],
  ["execute", "--reboot", ""],
  ["execute", "--method", ""],
  ["preflight", "--skip-check", ""],
  ["-o", ""],
  ["completion", ""],
];

Deno.test("completion candidates and scripts are unchanged (fixture completion_outputs.txt)", async () => {
  const parts: string[] = [];
  for (const args of COMPLETIONS) {
    const r = await runInProcess(["__complete", ...args], { env: { HOME: "/nonexistent" } });
    parts.push(`### __complete ${args.join(" ")} (exit ${r.code})\n${r.stdout}`);
  }
  for (const shell of ["bash", "zsh", "fish"]) {
    const r = await runInProcess(["completion", shell], { env: { HOME: "/nonexistent" } });
    parts.push(`### completion ${shell} (exit ${r.code})\n${r.stdout}`);
  }
  await matchesFixture("completion_outputs.txt", parts.join("\n"));
});
