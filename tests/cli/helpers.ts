/** Shared helpers for the CLI tests: run the program in-process with a memory Io, or main.ts as a subprocess. */
import { createMemoryIo, type MemoryIoOptions } from "../../lib/cli/io.ts";
import { runCli } from "../../lib/cli/program.ts";
import type { ExitCode } from "../../lib/exit_codes.ts";
import { PERMISSION_FLAGS } from "../../lib/permissions.ts";

export const ROOT = new URL("../../", import.meta.url).pathname.replace(/\/$/, "");
export const DENO = Deno.execPath();

export interface RunResult {
  code: ExitCode | number;
  stdout: string;
  stderr: string;
}

export interface InProcessOptions extends MemoryIoOptions {
  /** Capture what a command receives instead of running it. */
  capture?: Record<string, unknown>;
}

/** Runs the CLI in-process. With `capture`, commands record their options there and return 0. */
export async function runInProcess(argv: string[], opts: InProcessOptions = {}): Promise<RunResult> {
  let io = createMemoryIo(opts);
  const result = await runCli(argv, {
    makeIo: (mode) => {
      io = createMemoryIo({ ...opts, color: opts.color ?? (mode === "always") });
      return io;
    },
    intercept: opts.capture
      ? (name, ctx, o) => {
        opts.capture![name] = { opts: o, globals: ctx.globals };
        return Promise.resolve(0);
      }
      : undefined,
  });
  return { code: result, stdout: io.stdoutText(), stderr: io.stderrText() };
}

/** The parent environment without colour settings, plus `extra`. */
export function cleanEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env = Deno.env.toObject();
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return { ...env, ...extra };
}

/** Runs main.ts with the binary's permissions, as the compiled program would run. */
export async function runMain(args: string[], env: Record<string, string> = {}): Promise<RunResult> {
  const out = await new Deno.Command(DENO, {
    args: ["run", ...PERMISSION_FLAGS, "--config", `${ROOT}/deno.json`, `${ROOT}/main.ts`, ...args],
    cwd: ROOT,
    env: cleanEnv(env),
    clearEnv: true,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

// deno-lint-ignore no-control-regex
export const ANSI = /\x1b\[/;
