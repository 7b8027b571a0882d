/**
 * On a terminal `status --watch` redraws in place: replaying its output on a fake terminal leaves exactly
 * the last frame (nothing left over from earlier frames), never taller than the screen, every update
 * wrapped in synchronized output (no flicker).
 */
import assert from "node:assert/strict";
import { fitToScreen, wrappedHeight } from "../../lib/cli/render/status_view.ts";
import { FakeTerminal } from "./_terminal.ts";
import { runStatusOn, triggerLive, withSim } from "./_helpers.ts";

Deno.test("wrappedHeight counts the rows long lines wrap to; fitToScreen keeps a frame within the screen", () => {
  assert.equal(wrappedHeight("abc\n" + "x".repeat(81), 80), 3);
  assert.equal(wrappedHeight("x".repeat(80), 80), 1);
  assert.equal(wrappedHeight("✔ 日本", 4), 2, "wide characters count twice");
  const frame = Array.from({ length: 40 }, (_, i) => `line ${i} ` + "y".repeat(i % 3 ? 10 : 120)).join("\n");
  const fitted = fitToScreen(frame, 80, 24);
  assert.ok(wrappedHeight(fitted.trimEnd(), 80) <= 23);
  assert.match(fitted, /… \d+ more lines/);
  assert.equal(fitToScreen("a\nb\n", 80, 24), "a\nb\n");
});

Deno.test("--watch on a terminal: redrawn in place through a whole live migration, ends on the final frame", async () => {
  await withSim("sdn-small", async (sim) => {
    const columns = 80;
    const run = await runStatusOn(sim, {
      watch: true,
      tty: true,
      columns,
      output: "human",
      afterFirst: () => triggerLive(sim),
    });
    assert.equal(run.code, 0);
    const term = new FakeTerminal(columns);
    for (const chunk of run.io.out) {
      assert.ok(
        chunk.startsWith("\x1b[?2026h") && chunk.endsWith("\x1b[?2026l"),
        "an update outside synchronized output",
      );
      term.write(chunk);
    }
    assert.ok(run.io.out.length > 5, "the view was redrawn as the migration went on");
    const screen = term.screen();
    assert.match(screen, /^Migration: complete: the cluster runs OVNKubernetes/);
    assert.doesNotMatch(screen, /live step|not started/, "leftovers of an earlier frame");
    assert.ok(term.maxRow < 24, `the redraw scrolled: ${term.maxRow + 1} rows`);
    // Exactly one frame on screen: it starts once and the summary header appears once.
    assert.equal(screen.split("\n").filter((l) => l.startsWith("Migration:")).length, 1);
  });
});

Deno.test("a terminal that reports 0 columns is treated as no terminal: NDJSON, no escape sequences", async () => {
  await withSim("ovn-after-live", async (sim) => {
    const run = await runStatusOn(sim, { watch: true, tty: true, columns: 0, output: "human" });
    assert.equal(run.code, 0);
    const text = run.io.stdoutText();
    assert.ok(!text.includes("\x1b["), "escape sequences on a 0-column terminal");
    const lines = text.trim().split("\n");
    assert.equal(JSON.parse(lines[lines.length - 1]).phase.state, "complete");
  });
});
