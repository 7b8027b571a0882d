/** Every transition of the `status --watch` state machine, driven with explicit times (no timers, no cluster). */
import assert from "node:assert/strict";
import {
  aborted,
  type Effect,
  evaluated,
  type Machine,
  newMachine,
  type PhaseView,
  refreshed,
} from "../../lib/status/watch_machine.ts";

const GRACE = 60_000;
const live: PhaseView = { key: "live/2", state: "live" };
const live3: PhaseView = { key: "live/3", state: "live" };
const complete: PhaseView = { key: "complete/", state: "complete" };
const blocked: PhaseView = { key: "blocked/", state: "blocked" };
const types = (effects: Effect[]) => effects.map((e) => e.type === "finish" ? `finish ${e.code}` : e.type);

/** A machine that already shows `phase` (seen at t=100, refreshed from t=150). */
function showing(phase: PhaseView): Machine {
  const held = evaluated(refreshed(newMachine(GRACE), 0), phase, 100).machine;
  return evaluated(refreshed(held, 150), phase, 200).machine;
}

Deno.test("syncing → holding: the first phase waits for a refresh that starts after it", () => {
  const m = refreshed(newMachine(GRACE), 0); // the first refresh, started before anything was evaluated
  const s = evaluated(m, live, 100);
  assert.deepEqual(s.machine.state, { name: "holding", key: "live/2", since: 100, shown: undefined });
  assert.deepEqual(types(s.effects), ["refresh"]);
  // Evaluated again before that refresh ends: still held, and no second refresh is asked for.
  const again = evaluated(s.machine, live, 120);
  assert.equal(again.machine.state.name, "holding");
  assert.deepEqual(again.effects, []);
});

Deno.test("holding → showing: a refresh that started after the phase lets it be shown", () => {
  const held = evaluated(refreshed(newMachine(GRACE), 0), live, 100).machine;
  const stale = evaluated(refreshed(held, 90), live, 130); // started before the phase appeared: not enough
  assert.equal(stale.machine.state.name, "holding");
  const s = evaluated(refreshed(held, 150), live, 200);
  assert.deepEqual(s.machine.state, { name: "showing", key: "live/2" });
  assert.deepEqual(types(s.effects), ["show"]);
});

Deno.test("showing: the same phase is shown again at once (the clock, other fields)", () => {
  const s = evaluated(showing(live), live, 5_000);
  assert.deepEqual(s.machine.state, { name: "showing", key: "live/2" });
  assert.deepEqual(types(s.effects), ["show"]);
});

Deno.test("showing → holding: a new phase keeps the old one on screen until a fresh refresh", () => {
  const s = evaluated(showing(live), live3, 1_000);
  assert.deepEqual(s.machine.state, { name: "holding", key: "live/3", since: 1_000, shown: "live/2" });
  assert.deepEqual(types(s.effects), ["refresh"]);
  // The old phase comes back before the refresh: it is shown, it never left the screen.
  const back = evaluated(s.machine, live, 1_100);
  assert.deepEqual(back.machine.state, { name: "showing", key: "live/2" });
  assert.deepEqual(types(back.effects), ["show"]);
});

Deno.test("holding → holding: a third phase restarts the hold with its own time", () => {
  const first = evaluated(showing(live), live3, 1_000).machine;
  const s = evaluated(first, blocked, 1_500);
  assert.deepEqual(s.machine.state, { name: "holding", key: "blocked/", since: 1_500, shown: "live/2" });
  assert.deepEqual(types(s.effects), ["refresh"]);
});

Deno.test("holding → done(0): complete, once a refresh after it finished, ends the watch", () => {
  const held = evaluated(showing(live), complete, 1_000).machine;
  const s = evaluated(refreshed(held, 1_200), complete, 1_300);
  assert.deepEqual(s.machine.state, { name: "done", code: 0 });
  assert.deepEqual(types(s.effects), ["show", "finish 0"]);
});

Deno.test("deciding: blocked lasts the grace period before exit 3; it is re-checked when the period ends", () => {
  const held = evaluated(showing(live), blocked, 1_000).machine;
  const s = evaluated(refreshed(held, 1_200), blocked, 1_300);
  assert.deepEqual(s.machine.state, { name: "deciding", key: "blocked/", verdict: "blocked", since: 1_000 });
  assert.deepEqual(s.effects, [{ type: "show" }, { type: "recheck", ms: GRACE - 300 }]);
  const later = evaluated(s.machine, blocked, 1_000 + GRACE - 1);
  assert.equal(later.machine.state.name, "deciding");
  const end = evaluated(s.machine, blocked, 1_000 + GRACE);
  assert.deepEqual(end.machine.state, { name: "done", code: 3 });
  assert.deepEqual(types(end.effects), ["show", "finish 3"]);
});

Deno.test("deciding → showing: a blocked state that clears within the grace period does not end the watch", () => {
  const held = evaluated(showing(live), blocked, 1_000).machine;
  const deciding = evaluated(refreshed(held, 1_200), blocked, 1_300).machine;
  const heldAgain = evaluated(deciding, live3, 2_000).machine;
  const s = evaluated(refreshed(heldAgain, 2_100), live3, 2_200);
  assert.deepEqual(s.machine.state, { name: "showing", key: "live/3" });
  assert.deepEqual(types(s.effects), ["show"]);
});

Deno.test("any state → done(0) on abort; nothing happens after done", () => {
  for (const m of [newMachine(GRACE), showing(live), evaluated(showing(live), live3, 1_000).machine]) {
    const s = aborted(m);
    assert.deepEqual(s.machine.state, { name: "done", code: 0 });
    assert.deepEqual(types(s.effects), ["finish 0"]);
    assert.deepEqual(evaluated(s.machine, complete, 9_000).effects, []);
    assert.deepEqual(aborted(s.machine).effects, []);
  }
});

Deno.test("refreshed keeps the newest start time", () => {
  const m = refreshed(refreshed(newMachine(GRACE), 500), 300);
  assert.equal(m.refreshedFrom, 500);
});
