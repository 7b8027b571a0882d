/**
 * When `status --watch` shows a snapshot and when it ends, as a small state machine with no timers of its own:
 * the driver (watch.ts) feeds it events with the time they happened and carries out the effects it returns.
 *
 * The rule it keeps: what is shown, and the final verdict, rest on the unwatched reads (the progress record with
 * the boot IDs at the flip, the Prometheus metrics) being at least as new as the phase they explain. A phase is
 * held back until a refresh that started after it appeared has finished; a stale record would otherwise call an
 * offline flip without reboots "complete". Blocked or failed must also last `graceMs` (transient states pass).
 *
 *   syncing ──ready──▶ showing ◀──────────── (not final) ──┐
 *      │                 │ new phase                          │
 *      │                 ▼                                    │
 *      └───────────▶  holding ──refresh after it──▶ showing / deciding ──complete──▶ done(0)
 *                                                              └─blocked|failed for graceMs──▶ done(3)
 *   any state ──abort──▶ done(0)
 */
import { ExitCode } from "../exit_codes.ts";
import type { PhaseState } from "./types.ts";

/** The part of a snapshot the machine decides on. */
export interface PhaseView {
  /** `state/step`: a change of it is a new phase. */
  key: string;
  state: PhaseState;
}

export type Verdict = "complete" | "blocked" | "failed";

export type WatchState =
  /** Waiting for every watch to sync and the first refresh of the unwatched reads. */
  | { name: "syncing" }
  /** A new phase was computed at `since`; it is shown once a refresh that started after `since` finished. */
  | { name: "holding"; key: string; since: number; shown?: string }
  /** The phase on screen is not final. */
  | { name: "showing"; key: string }
  /** The phase on screen is final since `since`; complete ends at once, blocked/failed after the grace period. */
  | { name: "deciding"; key: string; verdict: Verdict; since: number }
  | { name: "done"; code: ExitCode };

export type Effect =
  /** Show the snapshot that was evaluated. */
  | { type: "show" }
  /** Start a refresh of the unwatched reads (the driver runs one at a time and reports when it finished). */
  | { type: "refresh" }
  /** Evaluate again after `ms` even if nothing else happens (the grace period ends). */
  | { type: "recheck"; ms: number }
  | { type: "finish"; code: ExitCode };

export interface Machine {
  state: WatchState;
  /** Start time of the last finished refresh of the unwatched reads (-Infinity before the first). */
  refreshedFrom: number;
  /** Blocked or failed must last this long before the watch ends with 3. */
  graceMs: number;
}

export interface Step {
  machine: Machine;
  effects: Effect[];
}

export function newMachine(graceMs: number): Machine {
  return { state: { name: "syncing" }, refreshedFrom: -Infinity, graceMs };
}

const verdictOf = (state: PhaseState): Verdict | undefined =>
  state === "complete" || state === "blocked" || state === "failed" ? state : undefined;

const shownKey = (s: WatchState): string | undefined =>
  s.name === "showing" || s.name === "deciding" ? s.key : s.name === "holding" ? s.shown : undefined;

/** A refresh that started at `startedAt` finished: later decisions may rest on it. */
export function refreshed(m: Machine, startedAt: number): Machine {
  return { ...m, refreshedFrom: Math.max(m.refreshedFrom, startedAt) };
}

/** The user stopped watching: the last snapshot stays on screen and nothing failed. */
export function aborted(m: Machine): Step {
  if (m.state.name === "done") return { machine: m, effects: [] };
  return {
    machine: { ...m, state: { name: "done", code: ExitCode.Ok } },
    effects: [{ type: "finish", code: ExitCode.Ok }],
  };
}

/** A snapshot was evaluated at `now` (the driver evaluates only once every watch synced and the first refresh ended). */
export function evaluated(m: Machine, phase: PhaseView, now: number): Step {
  const s = m.state;
  if (s.name === "done") return { machine: m, effects: [] };
  const effects: Effect[] = [];
  let since = now;
  if (phase.key !== shownKey(s)) {
    if (s.name === "holding" && s.key === phase.key) since = s.since;
    else effects.push({ type: "refresh" });
    if (m.refreshedFrom < since) {
      const holding: WatchState = { name: "holding", key: phase.key, since, shown: shownKey(s) };
      return { machine: { ...m, state: holding }, effects };
    }
  } else if (s.name === "deciding") {
    since = s.since;
  }
  effects.push({ type: "show" });
  const verdict = verdictOf(phase.state);
  if (!verdict) return { machine: { ...m, state: { name: "showing", key: phase.key } }, effects };

  // The verdict rests on a refresh made after it appeared: the one that let the phase be shown, else a new one.
  const deciding: WatchState = s.name === "deciding" && s.verdict === verdict && s.key === phase.key
    ? s
    : { name: "deciding", key: phase.key, verdict, since };
  if (m.refreshedFrom < deciding.since) {
    if (!(s.name === "deciding" && s.since === deciding.since)) effects.push({ type: "refresh" });
    return { machine: { ...m, state: deciding }, effects };
  }
  if (verdict === "complete") return finish(m, effects, ExitCode.Ok);
  const left = m.graceMs - (now - deciding.since);
  if (left <= 0) return finish(m, effects, ExitCode.Failed);
  effects.push({ type: "recheck", ms: left });
  return { machine: { ...m, state: deciding }, effects };
}

function finish(m: Machine, effects: Effect[], code: ExitCode): Step {
  return { machine: { ...m, state: { name: "done", code } }, effects: [...effects, { type: "finish", code }] };
}
