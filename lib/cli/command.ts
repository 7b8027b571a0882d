/**
 * What a command module (lib/cli/commands/<name>.ts) provides: `register` declares the command, its flags and
 * help on the root command and hands the parsed options to the runner; `run` does the work with a fresh context.
 * A module imports the domain it calls only inside `run` (dynamically), so `--help`, `version` and completion
 * load no more than the command tree.
 */
import type { ExitCode } from "../exit_codes.ts";
import type { CommandContext, Io } from "./context.ts";
import type { RootCommand } from "./global_flags.ts";

export const PROGRAM_NAME = "oc ovn-migrate";

export type CommandRun<O> = (ctx: CommandContext, opts: O) => Promise<ExitCode>;

/** Runs a command's `run` with a context built from the global flags (or lets a test take it over). */
export type CommandRunner = <O>(name: string, opts: O, run: CommandRun<O>) => Promise<void>;

export interface CommandModule {
  register(root: RootCommand, runner: CommandRunner, io: Io): void;
}

/** The "Examples:" block of a command's help. */
export function examples(lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  ${l}`).join("\n")}\n`;
}
