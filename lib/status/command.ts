/**
 * `oc ovn-migrate status [--watch]`: where the migration is, what blocks it, how long is left.
 * Without --watch: one snapshot (human, json or yaml), exit 3 when the migration is blocked or failed,
 * 1 when nothing could be read, else 0. With --watch: see watch.ts (exit 0 complete, 3 blocked/failed after a grace period, 0 on Ctrl-C).
 */
import { tuning } from "../migrate/tuning.ts";
import { onInterrupt } from "../migrate/interrupt.ts";
import { notOpenShiftError } from "../kube/errors.ts";
import type { CommandContext, CommandResult } from "../cli/context.ts";
import type { StatusOptions } from "../cli/status_options.ts";
import { printResult } from "../cli/output.ts";
import { ExitCode } from "../exit_codes.ts";
import { collectView } from "./collect.ts";
import { renderHuman } from "./render.ts";
import { buildSnapshot } from "./snapshot.ts";
import { watchStatus } from "./watch.ts";

/** `stop` ends a watch like Ctrl-C does (for callers that embed the watch, such as tests). */
export async function runStatus(ctx: CommandContext, opts: StatusOptions, stop?: AbortSignal): CommandResult {
  const kube = await ctx.connect();
  if (!(await kube.apiGroups()).includes("config.openshift.io")) {
    throw notOpenShiftError(kube.server, ["config.openshift.io"]);
  }
  if (!opts.watch) {
    const view = await collectView(kube);
    const snap = buildSnapshot(view);
    printResult(
      ctx.io,
      ctx.globals.output,
      snap,
      () => renderHuman(snap, ctx.io, { columns: ctx.io.stdoutIsTTY ? ctx.io.columns : 0 }),
    );
    const unreadable = (["networkConfig", "pools", "nodes", "clusterOperators"] as const).every((k) => view.errors[k]);
    if (unreadable) return ExitCode.RuntimeError;
    return snap.phase.state === "blocked" || snap.phase.state === "failed" ? ExitCode.Failed : ExitCode.Ok;
  }
  // Ctrl-C ends the watch with the last snapshot (exit 0), not with an error.
  const interrupt = onInterrupt();
  try {
    return await watchStatus({
      kube,
      io: ctx.io,
      format: ctx.globals.output,
      intervalMs: opts.intervalMs,
      graceMs: tuning(ctx.io.env).statusGraceMs,
      signal: stop ? AbortSignal.any([interrupt.signal, stop]) : interrupt.signal,
    });
  } finally {
    interrupt.dispose();
  }
}
