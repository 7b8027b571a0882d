/**
 * `oc ovn-migrate status [--watch]`: where the migration is, what blocks it, how long is left.
 * Without --watch: one snapshot (human, json or yaml), exit 3 when the migration is blocked or failed,
 * 1 when nothing could be read, else 0. With --watch: see watch.ts (exit 0 complete, 3 blocked/failed after a grace period, 0 on Ctrl-C).
 */
import { notOpenShiftError } from "../kube/errors.ts";
import type { CommandContext, CommandResult } from "../cli/context.ts";
import type { StatusOptions } from "../cli/status_options.ts";
import { printResult } from "../cli/output.ts";
import { ExitCode } from "../exit_codes.ts";
import { collectView } from "./collect.ts";
import { renderHuman } from "./render.ts";
import { buildSnapshot } from "./snapshot.ts";
import { watchStatus } from "./watch.ts";

/** Blocked or failed must persist this long (real time, shortened by OVN_MIGRATE_TIME_SCALE) before exit 3. */
export const GRACE_MS = 60_000;

function timeScale(env: (name: string) => string | undefined): number {
  const raw = Number(env("OVN_MIGRATE_TIME_SCALE") ?? "1");
  return Number.isFinite(raw) && raw >= 1 ? raw : 1;
}

export async function runStatus(ctx: CommandContext, opts: StatusOptions): CommandResult {
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
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  let listening = false;
  try {
    Deno.addSignalListener("SIGINT", onSigint);
    listening = true;
  } catch {
    // No signal support (e.g. restricted permissions): Ctrl-C then ends the process the default way.
  }
  try {
    return await watchStatus({
      kube,
      io: ctx.io,
      format: ctx.globals.output,
      intervalMs: opts.intervalMs,
      graceMs: GRACE_MS / timeScale(ctx.io.env),
      signal: interrupt.signal,
    });
  } finally {
    if (listening) Deno.removeSignalListener("SIGINT", onSigint);
  }
}
