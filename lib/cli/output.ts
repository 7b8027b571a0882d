/**
 * Output helpers every command shares: status symbols, colour that honours Io.color, a tabwriter-style
 * table measured in display width, json/yaml printers, and a progress line on stderr that only animates
 * on a real terminal (never when stderr is piped or the terminal reports 0 columns).
 */
import pc from "picocolors";
import { dump } from "js-yaml";
import type { Io, OutputFormat } from "./context.ts";
import type { TerminalIo } from "./io.ts";

export type Colors = ReturnType<typeof pc.createColors>;

/** Colour functions that are no-ops when colour is off. */
export function colors(io: Pick<Io, "color">): Colors {
  return pc.createColors(io.color);
}

export interface Symbols {
  ok: string;
  warn: string;
  fail: string;
  skip: string;
  info: string;
}

const UNICODE: Symbols = { ok: "✔", warn: "⚠", fail: "✖", skip: "-", info: "•" };
const ASCII: Symbols = { ok: "[ok]", warn: "[!]", fail: "[x]", skip: "-", info: "*" };

/** Unicode marks unless the terminal is known not to draw them (TERM=dumb, the old Windows console). */
export function symbols(io: Pick<Io, "env">): Symbols {
  if (io.env("TERM") === "dumb") return ASCII;
  if (Deno.build.os === "windows" && !io.env("WT_SESSION") && !io.env("TERM_PROGRAM")) return ASCII;
  return UNICODE;
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

function codePointWidth(cp: number): number {
  if (cp === 0) return 0;
  if (cp < 32 || (cp >= 0x7f && cp < 0xa0)) return 0;
  // Combining marks, zero-width spaces and joiners, variation selectors.
  if (
    (cp >= 0x300 && cp <= 0x36f) || (cp >= 0x200b && cp <= 0x200f) || cp === 0x2060 ||
    (cp >= 0xfe00 && cp <= 0xfe0f)
  ) return 0;
  if (
    (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) || (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) || (cp >= 0x20000 && cp <= 0x3fffd)
  ) return 2;
  return 1;
}

/** Columns the text occupies on a terminal (ANSI codes excluded, wide CJK/emoji count 2). */
export function displayWidth(text: string): number {
  let width = 0;
  for (const ch of stripAnsi(text)) width += codePointWidth(ch.codePointAt(0) ?? 0);
  return width;
}

export function padEnd(text: string, width: number): string {
  return text + " ".repeat(Math.max(0, width - displayWidth(text)));
}

/** Cuts to `width` display columns, ending with "…" when cut. ANSI codes are dropped when cutting. */
export function truncate(text: string, width: number): string {
  if (width <= 0 || displayWidth(text) <= width) return text;
  let out = "";
  let used = 0;
  for (const ch of stripAnsi(text)) {
    const w = codePointWidth(ch.codePointAt(0) ?? 0);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return out + "…";
}

export interface TableOptions {
  /** Column headers, printed in upper case as kubectl does. */
  header?: string[];
  /** Spaces between columns (kubectl's tabwriter uses 3). */
  gutter?: number;
}

/** Go text/tabwriter style: no borders, columns padded to the widest cell, last column unpadded. */
export function formatTable(rows: string[][], opts: TableOptions = {}): string {
  const gutter = opts.gutter ?? 3;
  const all = opts.header ? [opts.header.map((h) => h.toUpperCase()), ...rows] : rows;
  if (all.length === 0) return "";
  const widths: number[] = [];
  for (const row of all) {
    row.forEach((cell, i) => widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell)));
  }
  return all.map((row) =>
    row.map((cell, i) => (i === row.length - 1 ? cell : padEnd(cell, widths[i] + gutter))).join("").trimEnd()
  ).join("\n") + "\n";
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, null, 2) + "\n";
}

export function toYaml(value: unknown): string {
  return dump(value, { noRefs: true, lineWidth: -1, skipInvalid: true });
}

/** Prints a result in the chosen format; `human` renders the terminal form lazily. */
export function printResult(io: Io, format: OutputFormat, value: unknown, human: () => string): void {
  if (format === "json") io.stdout(toJson(value));
  else if (format === "yaml") io.stdout(toYaml(value));
  else io.stdout(human());
}

export interface Progress {
  /** Changes the current line's text. */
  update(text: string): void;
  /** Ends the line with a mark; the progress writer can be reused after. */
  succeed(text?: string): void;
  warn(text?: string): void;
  fail(text?: string): void;
  /** Clears the line (on a terminal) and stops the timer; always safe to call. */
  stop(): void;
}

const FRAMES = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

/** True when a spinner may redraw in place on stderr. */
export function canAnimate(io: Io | TerminalIo): boolean {
  const stderrTTY = "stderrIsTTY" in io ? io.stderrIsTTY : io.stdoutIsTTY;
  return stderrTTY && io.columns > 0;
}

/**
 * A one-line progress indicator on stderr. On a terminal it spins and redraws in place; otherwise it
 * prints a plain line per distinct text, so logs stay readable and nothing loops on a 0-column pty.
 */
export function createProgress(io: Io | TerminalIo, intervalMs = 100): Progress {
  const c = colors(io);
  const sym = symbols(io);
  const animate = canAnimate(io);
  let text = "";
  let lastPrinted = "";
  let frame = 0;
  let timer: ReturnType<typeof setInterval> | undefined;

  const draw = () => {
    const line = truncate(`${c.cyan(FRAMES[frame % FRAMES.length])} ${text}`, io.columns - 1);
    io.stderr(`\r\x1b[2K${line}`);
    frame++;
  };
  const clear = () => {
    if (timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
    if (animate) io.stderr("\r\x1b[2K");
  };
  const finish = (mark: string, final?: string) => {
    clear();
    const t = final ?? text;
    io.stderr(`${mark} ${t}\n`);
    lastPrinted = "";
    text = "";
  };
  return {
    update(next) {
      text = next;
      if (animate) {
        if (timer === undefined) timer = setInterval(draw, intervalMs);
        draw();
      } else if (next !== lastPrinted) {
        io.stderr(`${next}\n`);
        lastPrinted = next;
      }
    },
    succeed: (t) => finish(c.green(sym.ok), t),
    warn: (t) => finish(c.yellow(sym.warn), t),
    fail: (t) => finish(c.red(sym.fail), t),
    stop: clear,
  };
}
