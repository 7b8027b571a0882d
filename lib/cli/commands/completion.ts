/** `completion bash|zsh|fish`: prints the script that wires the shell to the hidden `__complete` command. */
import { Argument } from "commander";
import type { CommandContext } from "../context.ts";
import { ExitCode } from "../../exit_codes.ts";
import { SHELLS } from "../choices.ts";
import { type CommandRunner, examples } from "../command.ts";
import type { RootCommand } from "../global_flags.ts";

export interface CompletionOptions {
  shell: typeof SHELLS[number];
}

export function register(root: RootCommand, runner: CommandRunner): void {
  root.command("completion")
    .summary("print a shell completion script (bash, zsh, fish)")
    .description(
      "Print a shell completion script. For `oc ovn-migrate`/`kubectl ovn-migrate`, put the " +
        "kubectl_complete-ovn_migrate and oc_complete-ovn_migrate helpers on PATH instead (`install` does).",
    )
    .addArgument(new Argument("<shell>", "the shell").choices(SHELLS))
    .addHelpText(
      "after",
      examples([
        "source <(oc-ovn-migrate completion bash)",
        'oc-ovn-migrate completion zsh > "${fpath[1]}/_oc-ovn-migrate"',
        "oc-ovn-migrate completion fish > ~/.config/fish/completions/oc-ovn-migrate.fish",
      ]),
    )
    .action(async (shell) => {
      await runner("completion", { shell }, run);
    });
}

export async function run(ctx: CommandContext, opts: CompletionOptions): Promise<ExitCode> {
  const { completionScript } = await import("../completion.ts");
  ctx.io.stdout(completionScript(opts.shell));
  return ExitCode.Ok;
}
