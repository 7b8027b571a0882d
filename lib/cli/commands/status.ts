/**
 * `status [--watch]`: where the migration is, what blocks it, how long is left. Without --watch: one snapshot
 * (human, json or yaml), exit 3 when the migration is blocked or failed, 1 when nothing could be read, else 0.
 * With --watch: lib/status/watch.ts (exit 0 complete, 3 blocked/failed after a grace period, 0 on Ctrl-C).
 */
import { Option } from "commander";
import type { CommandContext } from "../context.ts";
import { ExitCode } from "../../exit_codes.ts";
import { type CommandRunner, examples } from "../command.ts";
import { parseDurationFlag } from "../flag_values.ts";
import type { RootCommand } from "../global_flags.ts";
import { onInterrupt } from "../interrupt.ts";
import { printResult } from "../output.ts";

export interface StatusOptions {
  /** Keep the view live until the migration completes (exit 0) or is blocked/failed (exit 3). */
  watch: boolean;
  /** How often Prometheus metrics are refreshed while watching, in milliseconds (`--interval`, default 30s). */
  intervalMs: number;
}

export function register(root: RootCommand, runner: CommandRunner): void {
  root.command("status")
    .summary("show where the migration is; --watch follows it")
    .description(
      "Show where the migration is, what blocks it and how long is left; --watch keeps it live until " +
        "the migration completes (exit 0) or is blocked or failed (exit 3).",
    )
    .option("--watch", "keep the view live (redrawn on a terminal, one JSON object per line otherwise)", false)
    .addOption(
      new Option("--interval <duration>", "how often Prometheus metrics are refreshed while watching")
        .argParser(parseDurationFlag).default(30_000, "30s"),
    )
    .addHelpText(
      "after",
      examples([
        "oc ovn-migrate status",
        "oc ovn-migrate status --watch",
        "oc ovn-migrate status --watch -o json | jq .phase",
      ]),
    )
    .action(async (o) => {
      await runner("status", { watch: o.watch, intervalMs: o.interval }, run);
    });
}

export function run(ctx: CommandContext, opts: StatusOptions): Promise<ExitCode> {
  return runStatus(ctx, opts);
}

/** `stop` ends a watch like Ctrl-C does (for callers that embed the watch, such as tests). */
export async function runStatus(ctx: CommandContext, opts: StatusOptions, stop?: AbortSignal): Promise<ExitCode> {
  const [{ notOpenShiftError }, { collectView }, { buildSnapshot }, { renderHuman }] = await Promise.all([
    import("../../kube/errors.ts"),
    import("../../status/collect.ts"),
    import("../../status/snapshot.ts"),
    import("../render/status_view.ts"),
  ]);
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
  const [{ watchStatus }, { watchOutput }, { tuning }] = await Promise.all([
    import("../../status/watch.ts"),
    import("../status_watch_output.ts"),
    import("../../migrate/tuning.ts"),
  ]);
  // Ctrl-C ends the watch with the last snapshot (exit 0), not with an error.
  const interrupt = onInterrupt();
  try {
    return await watchStatus({
      kube,
      output: watchOutput(ctx.io, ctx.globals.output),
      intervalMs: opts.intervalMs,
      graceMs: tuning(ctx.io.env).statusGraceMs,
      signal: stop ? AbortSignal.any([interrupt.signal, stop]) : interrupt.signal,
    });
  } finally {
    interrupt.dispose();
  }
}
