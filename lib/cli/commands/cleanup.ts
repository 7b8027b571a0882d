/** `cleanup`: removes what a verified migration leaves behind (lib/migrate/cleanup_command.ts). */
import type { CommandContext, CommandResult } from "../context.ts";
import type { CleanupOptions } from "../cleanup_options.ts";
import { runCleanup } from "../../migrate/cleanup_command.ts";

export function run(ctx: CommandContext, opts: CleanupOptions): CommandResult {
  return runCleanup(ctx, opts);
}
