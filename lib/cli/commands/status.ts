/** `status`: placeholder until the command is built; keeps the CLI contract (exit 2 with a clear message). */
import type { CommandContext, CommandResult } from "../context.ts";
import type { StatusOptions } from "../status_options.ts";
import { ExitCode } from "../../exit_codes.ts";

// deno-lint-ignore require-await
export async function run(ctx: CommandContext, _opts: StatusOptions): CommandResult {
  ctx.io.stderr("`status` is not built yet (coming in a later release).\n");
  return ExitCode.UsageError;
}
