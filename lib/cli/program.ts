/**
 * The command tree: the root command with the global flags and the exit-code table, and every command
 * module (lib/cli/commands/<name>.ts) registered on it. Commands load their domain code only when they run,
 * so `--help`, `version` and completion never import the Kubernetes client. Nothing here exits: `runCli`
 * returns the exit code.
 */
import { Command, CommanderError, type Option } from "commander";
import { CliError } from "../errors.ts";
import { EXIT_CODE_TABLE, ExitCode } from "../exit_codes.ts";
import { type CommandModule, type CommandRunner, examples, PROGRAM_NAME } from "./command.ts";
import * as cleanup from "./commands/cleanup.ts";
import * as completion from "./commands/completion.ts";
import * as execute from "./commands/execute.ts";
import * as install from "./commands/install.ts";
import * as preflight from "./commands/preflight.ts";
import * as rollback from "./commands/rollback.ts";
import * as status from "./commands/status.ts";
import * as version from "./commands/version.ts";
import type { ColorMode, CommandContext, Io } from "./context.ts";
import { reportError } from "./errors_output.ts";
import { globalsOf, prescanColor, withGlobalFlags } from "./global_flags.ts";
import { type Connector, makeContext } from "./make_context.ts";

export { PROGRAM_NAME };

/** In help order. */
const COMMANDS: CommandModule[] = [preflight, execute, status, cleanup, rollback, version, completion, install];

export interface ProgramDeps {
  /** Builds the terminal once the colour mode is known (tests pass a memory Io). */
  makeIo(color: ColorMode): Io;
  /** Replaces the real cluster connection (tests). */
  connector?: Connector;
  /** Takes a command over (tests): return an exit code instead of running it, or undefined to run it. */
  intercept?: (name: string, ctx: CommandContext, opts: unknown) => Promise<ExitCode> | undefined;
}

/** What an action reports back to runCli (also what buildProgram needs, e.g. for completion tests). */
export interface RunState {
  io: Io;
  connector?: Connector;
  intercept?: ProgramDeps["intercept"];
  code: ExitCode;
  verbose: number;
}

export function exitCodeTable(): string {
  return EXIT_CODE_TABLE.map(([code, text]) => `  ${code}  ${text}`).join("\n");
}

/** Builds the command tree. Actions store their exit code in `state`. */
export function buildProgram(state: RunState) {
  const io = state.io;
  const root = withGlobalFlags(
    new Command(PROGRAM_NAME)
      .description(
        "Migrate an OpenShift cluster from OpenShift SDN (or Kuryr) to OVN-Kubernetes: check readiness, " +
          "run the documented offline or live procedure step by step (resumable), follow its progress, " +
          "clean up and roll back.",
      )
      .exitOverride()
      .configureOutput({
        writeOut: (s) => io.stdout(s),
        writeErr: (s) => io.stderr(s),
        getOutHelpWidth: () => (io.columns > 0 ? io.columns : 100),
        getErrHelpWidth: () => (io.columns > 0 ? io.columns : 100),
        getOutHasColors: () => io.color,
        getErrHasColors: () => io.color,
      })
      .configureHelp({ showGlobalOptions: true })
      .showSuggestionAfterError(true)
      .helpCommand("help [command]", "show help for a command")
      .helpOption("-h, --help", "show help for the command"),
  ).addHelpText(
    "after",
    examples([
      "oc ovn-migrate preflight                      # is the cluster ready, and by which method?",
      "oc ovn-migrate execute --method live --yes",
      "oc ovn-migrate status --watch",
      "oc ovn-migrate cleanup",
      "oc ovn-migrate rollback --method offline",
    ]) +
      `\nExit codes:\n${exitCodeTable()}\n` +
      `\nGlobal flags may come before or after the command. Run '${PROGRAM_NAME} <command> --help' for details.\n`,
  );

  // Known before any action runs, so errors thrown by option checks also honour -v.
  root.hook("preAction", () => {
    state.verbose = root.opts().v;
  });

  const runner: CommandRunner = async (name, opts, run) => {
    const globals = globalsOf(root);
    state.verbose = globals.verbose;
    const ctx = makeContext(globals, io, state.connector);
    state.code = await (state.intercept?.(name, ctx, opts) ?? run(ctx, opts));
  };
  for (const command of COMMANDS) command.register(root, runner, io);
  return root;
}

export type Program = ReturnType<typeof buildProgram>;

/** Long flags that are switches, so `--flag=true|false` (kubectl's form) can be rewritten for commander. */
function booleanFlags(program: Program): Set<string> {
  const flags = new Set<string>();
  const visit = (cmd: { options: readonly Option[]; commands: readonly unknown[] }) => {
    for (const opt of cmd.options) {
      if (opt.long && !opt.required && !opt.optional && !opt.negate) flags.add(opt.long);
    }
    for (const sub of cmd.commands) visit(sub as typeof cmd);
  };
  visit(program as unknown as { options: readonly Option[]; commands: readonly unknown[] });
  return flags;
}

/** kubectl accepts `--insecure-skip-tls-verify=true`; commander wants a bare switch. */
export function normalizeArgs(argv: string[], switches: Set<string>): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") {
      out.push(...argv.slice(i));
      break;
    }
    const eq = a.indexOf("=");
    if (a.startsWith("--") && eq > 0 && switches.has(a.slice(0, eq))) {
      const value = a.slice(eq + 1).toLowerCase();
      if (value === "true" || value === "1") out.push(a.slice(0, eq));
      else if (value === "false" || value === "0") continue;
      else out.push(a); // commander reports it
    } else {
      out.push(a);
    }
  }
  return out;
}

/**
 * Parses argv and runs the chosen command. Every outcome becomes an exit code: help → 0, parse errors
 * → 2 (commander has already printed the message and suggestion), thrown errors → via errors_output.
 */
export async function runCli(argv: string[], deps: ProgramDeps): Promise<ExitCode> {
  const io = deps.makeIo(prescanColor(argv));
  const state: RunState = {
    io,
    connector: deps.connector,
    intercept: deps.intercept,
    code: ExitCode.Ok,
    verbose: 0,
  };
  try {
    const program = buildProgram(state);
    if (argv[0] === "__complete" || argv[0] === "__completeNoDesc") {
      const { runCompletionRequest } = await import("./completion.ts");
      return await runCompletionRequest(program, argv.slice(1), argv[0] === "__complete", io);
    }
    await program.parseAsync(normalizeArgs(argv, booleanFlags(program)), { from: "user" });
    return state.code;
  } catch (err) {
    if (err instanceof CommanderError && !(err instanceof CliError)) {
      return err.exitCode === 0 ? ExitCode.Ok : ExitCode.UsageError;
    }
    return reportError(err, io, state.verbose);
  }
}
