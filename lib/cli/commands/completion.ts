/** `completion bash|zsh|fish`: prints the script that wires the shell to the hidden `__complete` command. */
import type { CommandContext, CommandResult } from "../context.ts";
import { ExitCode } from "../../exit_codes.ts";
import { completionScript, type Shell } from "../completion.ts";

export interface CompletionOptions {
  shell: Shell;
}

// deno-lint-ignore require-await
export async function run(ctx: CommandContext, opts: CompletionOptions): CommandResult {
  ctx.io.stdout(completionScript(opts.shell));
  return ExitCode.Ok;
}
