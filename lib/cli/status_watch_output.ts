/**
 * How `status --watch` shows its snapshots: on a terminal (human output) the view is redrawn in place with
 * log-update, which wraps long lines to the width and erases exactly the lines it drew (no flicker); otherwise,
 * or with `-o json|yaml`, one document per snapshot, printed only when something other than the clock changed.
 */
import { createLogUpdate } from "log-update";
import type { Io, OutputFormat } from "./context.ts";
import { toYaml } from "./output.ts";
import { fitToScreen, renderHuman } from "./render/status_view.ts";
import type { StatusSnapshot } from "../status/types.ts";
import type { WatchOutput } from "../status/watch.ts";

/** The snapshot without what only the clock changes: the key that decides whether to print again. */
export function changeKey(s: StatusSnapshot): string {
  const { observedAt: _o, timing, ...rest } = s;
  return JSON.stringify({ ...rest, timing: { ...timing, elapsedSeconds: null, etaSeconds: null } });
}

export function watchOutput(io: Io, format: OutputFormat): WatchOutput {
  const tty = io.stdoutIsTTY && io.columns > 0 && format === "human";
  if (tty) {
    const rows = terminalRows() ?? 24;
    const log = createLogUpdate(ttyStream(io, rows), { showCursor: true });
    return {
      live: true,
      show: (s) => log(fitToScreen(renderHuman(s, io, { columns: io.columns }), io.columns, rows)),
      finish: () => log.done(),
    };
  }
  let printedKey = "";
  const print = (s: StatusSnapshot) => {
    printedKey = changeKey(s);
    if (format === "yaml") io.stdout(`---\n${toYaml(s)}`);
    else io.stdout(JSON.stringify(s) + "\n");
  };
  return {
    live: false,
    show: (s) => {
      if (changeKey(s) !== printedKey) print(s);
    },
    finish: (last) => {
      if (last && changeKey(last) !== printedKey) print(last);
    },
  };
}

/** The stream log-update writes to: our Io's stdout with its width (and the terminal's height when known). */
function ttyStream(io: Io, rows: number) {
  const stream = { write: (s: string) => io.stdout(s), columns: io.columns, rows, isTTY: true };
  // log-update only calls write and reads columns/rows/isTTY.
  return stream as unknown as Parameters<typeof createLogUpdate>[0];
}

function terminalRows(): number | undefined {
  try {
    return Deno.consoleSize().rows || undefined;
  } catch {
    return undefined;
  }
}
