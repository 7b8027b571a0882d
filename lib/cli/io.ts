/**
 * The real terminal behind the `Io` contract, and an in-memory one for tests. Colour is decided once:
 * --color always|never wins; in auto, NO_COLOR (any non-empty value) turns it off, FORCE_COLOR turns it on,
 * otherwise colour follows whether stdout is a terminal.
 */
import type { ColorMode, Io } from "./context.ts";

/** Io plus what the progress writer needs to know about stderr. */
export interface TerminalIo extends Io {
  stderrIsTTY: boolean;
}

export interface ColorInputs {
  mode: ColorMode;
  env: (name: string) => string | undefined;
  isTTY: boolean;
}

export function decideColor({ mode, env, isTTY }: ColorInputs): boolean {
  if (mode === "always") return true;
  if (mode === "never") return false;
  if ((env("NO_COLOR") ?? "") !== "") return false;
  const force = env("FORCE_COLOR");
  if (force !== undefined) return force !== "0" && force !== "false";
  if (env("TERM") === "dumb") return false;
  return isTTY;
}

/** Best-effort read: a narrowed --allow-env must not crash the CLI. */
export function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

function terminalColumns(): number {
  try {
    return Deno.consoleSize().columns;
  } catch {
    return 0;
  }
}

const encoder = new TextEncoder();

function writeAll(file: { writeSync(p: Uint8Array): number }, text: string): void {
  let bytes = encoder.encode(text);
  try {
    while (bytes.length > 0) bytes = bytes.subarray(file.writeSync(bytes));
  } catch (err) {
    // The reader went away (`… | head`): nothing useful can be done with the rest.
    if (!(err instanceof Deno.errors.BrokenPipe)) throw err;
  }
}

/** The process's own stdout/stderr/stdin. */
export function createTerminalIo(mode: ColorMode): TerminalIo {
  const columns = terminalColumns();
  const stdoutTerminal = Deno.stdout.isTerminal();
  const stdoutIsTTY = stdoutTerminal && columns > 0;
  return {
    stdout: (text) => writeAll(Deno.stdout, text),
    stderr: (text) => writeAll(Deno.stderr, text),
    stdoutIsTTY,
    stderrIsTTY: Deno.stderr.isTerminal() && columns > 0,
    stdinIsTTY: Deno.stdin.isTerminal(),
    columns,
    color: decideColor({ mode, env: readEnv, isTTY: stdoutIsTTY }),
    env: readEnv,
    environment: () => {
      try {
        return Deno.env.toObject();
      } catch {
        return {};
      }
    },
  };
}

/** An Io that records what was written; for tests of this and other parts. */
export interface MemoryIo extends TerminalIo {
  out: string[];
  err: string[];
  stdoutText(): string;
  stderrText(): string;
}

export interface MemoryIoOptions {
  tty?: boolean;
  columns?: number;
  color?: boolean;
  env?: Record<string, string>;
}

export function createMemoryIo(opts: MemoryIoOptions = {}): MemoryIo {
  const out: string[] = [];
  const err: string[] = [];
  const tty = opts.tty ?? false;
  return {
    out,
    err,
    stdout: (t) => void out.push(t),
    stderr: (t) => void err.push(t),
    stdoutText: () => out.join(""),
    stderrText: () => err.join(""),
    stdoutIsTTY: tty,
    stderrIsTTY: tty,
    stdinIsTTY: tty,
    columns: opts.columns ?? (tty ? 100 : 0),
    color: opts.color ?? false,
    env: (name) => opts.env?.[name],
    environment: () => ({ ...opts.env }),
  };
}
