/**
 * oc-ovn-migrate entry point, and the only place that exits. Everything else returns an ExitCode;
 * anything that escapes is printed once, without a stack unless -v ≥ 6.
 */
import { ExitCode } from "./lib/exit_codes.ts";
import { formatError } from "./lib/cli/errors_output.ts";
import { createTerminalIo } from "./lib/cli/io.ts";
import { runCli } from "./lib/cli/program.ts";

async function main(): Promise<ExitCode> {
  try {
    return await runCli(Deno.args, { makeIo: createTerminalIo });
  } catch (err) {
    // Only a failure of the output layer itself gets here.
    try {
      Deno.stderr.writeSync(new TextEncoder().encode(formatError(err, 0)));
    } catch {
      // Nowhere left to report to.
    }
    return ExitCode.RuntimeError;
  }
}

if (import.meta.main) Deno.exit(await main());
