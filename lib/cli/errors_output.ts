/**
 * Turns whatever a command threw into one clear message and an exit code. Expected failures (CliError)
 * never show a stack; unexpected ones show it only at -v ≥ 6. Everything printed is redacted.
 */
import { CliError } from "../errors.ts";
import { ExitCode } from "../exit_codes.ts";
import { redact } from "../redact.ts";
import type { Io } from "./context.ts";
import { colors } from "./output.ts";

/** The -v level from which unexpected errors include their stack trace. */
export const STACK_TRACE_LEVEL = 6;

export function errorExitCode(err: unknown): ExitCode {
  return err instanceof CliError ? err.exitCode : ExitCode.RuntimeError;
}

/** The text main.ts prints for `err` (ends with a newline). */
export function formatError(err: unknown, verbose: number, color = false): string {
  const c = colors({ color });
  const label = c.red(c.bold("error:"));
  const lines: string[] = [];
  if (err instanceof CliError) {
    lines.push(`${label} ${err.message}`);
    if (err.hint) lines.push(...err.hint.split("\n").map((h) => `  ${h}`));
    if (verbose >= STACK_TRACE_LEVEL && err.cause !== undefined) lines.push(`caused by: ${describe(err.cause)}`);
  } else if (err instanceof Deno.errors.PermissionDenied) {
    lines.push(`${label} ${messageOf(err)}`);
    lines.push("  This build was not given that permission; run it with the flags of `deno task ovn-migrate`.");
  } else {
    lines.push(`${label} unexpected error: ${messageOf(err)}`);
    if (verbose >= STACK_TRACE_LEVEL) {
      const stack = err instanceof Error ? err.stack : undefined;
      if (stack) lines.push(stack);
      if (err instanceof Error && err.cause !== undefined) lines.push(`caused by: ${describe(err.cause)}`);
    } else {
      lines.push(`  Run again with -v=${STACK_TRACE_LEVEL} to see where it happened, and report it if it persists.`);
    }
  }
  return redact(lines.join("\n")) + "\n";
}

/** Prints the error on stderr and returns the exit code it maps to. */
export function reportError(err: unknown, io: Pick<Io, "stderr" | "color">, verbose: number): ExitCode {
  io.stderr(formatError(err, verbose, io.color));
  return errorExitCode(err);
}

function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message || err.name;
  return String(err);
}

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.stack ?? `${cause.name}: ${cause.message}`;
  return String(cause);
}
