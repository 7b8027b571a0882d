/** `version`: the product, runtime and platform; `-o json|yaml` for scripts. Never touches the cluster. */
import type { CommandContext } from "../context.ts";
import { ExitCode } from "../../exit_codes.ts";
import { buildInfo, versionLine } from "../../version.ts";
import { type CommandRunner, examples } from "../command.ts";
import type { RootCommand } from "../global_flags.ts";
import { printResult } from "../output.ts";

export function register(root: RootCommand, runner: CommandRunner): void {
  root.command("version")
    .summary("print the version")
    .description("Print the version of oc-ovn-migrate, the Deno runtime and the platform.")
    .addHelpText("after", examples(["oc ovn-migrate version", "oc ovn-migrate version -o json"]))
    .action(async () => {
      await runner("version", {}, run);
    });
}

export function run(ctx: CommandContext, _opts: Record<string, never>): Promise<ExitCode> {
  const info = buildInfo();
  printResult(ctx.io, ctx.globals.output, info, () => versionLine(info) + "\n");
  return Promise.resolve(ExitCode.Ok);
}
