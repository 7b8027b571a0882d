/** `status`: where the migration is (lib/status/command.ts). */
import type { CommandContext, CommandResult } from "../context.ts";
import type { StatusOptions } from "../status_options.ts";
import { runStatus } from "../../status/command.ts";

export function run(ctx: CommandContext, opts: StatusOptions): CommandResult {
  return runStatus(ctx, opts);
}
