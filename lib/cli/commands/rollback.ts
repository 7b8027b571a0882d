/** `rollback`: placeholder until the command is built; keeps the CLI contract (exit 2 with a clear message). */
import type { CommandContext, CommandResult } from "../context.ts";
import type { RollbackOptions } from "../rollback_options.ts";
import { ExitCode } from "../../exit_codes.ts";

// deno-lint-ignore require-await
export async function run(ctx: CommandContext, _opts: RollbackOptions): CommandResult {
  ctx.io.stderr("`rollback` is not built yet (coming in a later release).\n");
  return ExitCode.UsageError;
}
