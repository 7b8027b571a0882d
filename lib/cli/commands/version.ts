/** `version`: the product, runtime and platform; `-o json|yaml` for scripts. Never touches the cluster. */
import type { CommandContext, CommandResult } from "../context.ts";
import { ExitCode } from "../../exit_codes.ts";
import { buildInfo, versionLine } from "../../version.ts";
import { printResult } from "../output.ts";

// deno-lint-ignore no-empty-interface
export interface VersionOptions {}

// deno-lint-ignore require-await
export async function run(ctx: CommandContext, _opts: VersionOptions): CommandResult {
  const info = buildInfo();
  printResult(ctx.io, ctx.globals.output, info, () => versionLine(info) + "\n");
  return ExitCode.Ok;
}
