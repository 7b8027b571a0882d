/**
 * Runs a command function in-process against the simulated cluster (until `cleanup` and `rollback` are
 * wired into the CLI): a CommandContext with a memory Io and the simulator's kubeconfig.
 */
import { createMemoryIo, type MemoryIo } from "../../lib/cli/io.ts";
import { makeContext } from "../../lib/cli/make_context.ts";
import type { CommandContext } from "../../lib/cli/context.ts";
import { CliError } from "../../lib/errors.ts";
import type { startSim } from "../../sim/sim.ts";

export type Sim = Awaited<ReturnType<typeof startSim>>;

export interface InProcRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The message (and hint) of the error that ended the run, if any. */
  error?: string;
}

export async function runInProcess(
  sim: Sim,
  timeScale: number,
  fn: (ctx: CommandContext) => Promise<number>,
): Promise<InProcRun> {
  const io: MemoryIo = createMemoryIo({ env: { OVN_MIGRATE_TIME_SCALE: String(timeScale) } });
  const ctx = makeContext({ kubeconfig: sim.kubeconfigPath, verbose: 0, output: "human", color: "never" }, io);
  try {
    const code = await fn(ctx);
    return { code, stdout: io.stdoutText(), stderr: io.stderrText() };
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    return {
      code: e.exitCode,
      stdout: io.stdoutText(),
      stderr: io.stderrText(),
      error: [e.message, e.hint].filter(Boolean).join("\n"),
    };
  }
}
