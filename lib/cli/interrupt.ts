/** What every changing command does first: ask for consent it can get, and turn Ctrl-C into an abort. */
import type { Io } from "./context.ts";
import { CliError, UsageError } from "../errors.ts";
import { ExitCode } from "../exit_codes.ts";

/** Refuses (before any read or write) when the command would change the cluster with nobody to ask. */
export function requireConsent(io: Pick<Io, "stdinIsTTY">, opts: { dryRun: boolean; yes: boolean }, what: string) {
  if (opts.dryRun || opts.yes || io.stdinIsTTY) return;
  throw new UsageError(
    `${what}; there is no terminal to confirm on.`,
    "Pass --yes to run without asking, or --dry-run to see the plan.",
  );
}

/** An abort signal raised by Ctrl-C (SIGINT) until `dispose`; waits end and the engine prints how to resume. */
export function onInterrupt(): { signal: AbortSignal; dispose(): void } {
  const abort = new AbortController();
  const handler = () => abort.abort(new CliError("Interrupted.", ExitCode.RuntimeError));
  try {
    Deno.addSignalListener("SIGINT", handler);
  } catch { /* signals are not available on every platform */ }
  return {
    signal: abort.signal,
    dispose() {
      try {
        Deno.removeSignalListener("SIGINT", handler);
      } catch { /* see above */ }
    },
  };
}
