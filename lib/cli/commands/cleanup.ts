/** `cleanup`: placeholder until the command is built; keeps the CLI contract (exit 2 with a clear message). */
import type { CommandContext, CommandResult } from "../context.ts";
import type { CleanupOptions } from "../cleanup_options.ts";
import { ExitCode } from "../../exit_codes.ts";

// deno-lint-ignore require-await
export async function run(ctx: CommandContext, _opts: CleanupOptions): CommandResult {
  ctx.io.stderr("`cleanup` is not built yet (coming in a later release).\n");
  return ExitCode.UsageError;
}
