/** `execute`: runs the migration (lib/migrate/execute.ts). */
import type { CommandContext, CommandResult } from "../context.ts";
import type { ExecuteOptions } from "../execute_options.ts";
import { runExecute } from "../../migrate/execute.ts";

export function run(ctx: CommandContext, opts: ExecuteOptions): CommandResult {
  return runExecute(ctx, opts);
}
