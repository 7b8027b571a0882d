/** `rollback`: OVN-Kubernetes back to OpenShift SDN (lib/migrate/rollback_command.ts). */
import type { CommandContext, CommandResult } from "../context.ts";
import type { RollbackOptions } from "../rollback_options.ts";
import { runRollback } from "../../migrate/rollback_command.ts";

export function run(ctx: CommandContext, opts: RollbackOptions): CommandResult {
  return runRollback(ctx, opts);
}
