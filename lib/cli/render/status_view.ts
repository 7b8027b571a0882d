/**
 * The human form of a snapshot: one screen, in the section layout of `oc adm upgrade status`
 * (cli-and-libraries.md A3): the migration summary first, then conditions, pools, nodes (laggards only on
 * big clusters), unhealthy operators, metrics, problems with their fixes, and read errors.
 */
import type { Io } from "../context.ts";
import { colors, displayWidth, formatTable, symbols, truncate } from "../output.ts";
import { isError, type Section, type StatusSnapshot } from "../../status/types.ts";

export interface RenderOptions {
  /** Nodes listed at most (the rest are counted). */
  maxNodes?: number;
  /** Cut table lines to this many columns (0 = no limit); other lines are left to wrap. */
  columns?: number;
}

export function formatDuration(seconds: number): string {
  if (seconds < 60) return `${seconds}s`;
  const m = Math.floor(seconds / 60);
  if (m < 60) return `${m}m ${seconds % 60}s`;
  const h = Math.floor(m / 60);
  return `${h}h ${m % 60}m`;
}

const short = (type: string) => type.replace(/^NetworkTypeMigration/, "");
/** Multi-line messages (CNO joins DaemonSet lines with newlines) on one table row. */
const oneLine = (text: string) => text.replace(/\s*\n\s*/g, "; ");

/** Terminal rows a text takes once lines wider than the terminal wrap. */
export function wrappedHeight(text: string, columns: number): number {
  return text.split("\n").reduce((n, l) => n + Math.max(1, Math.ceil(displayWidth(l) / Math.max(1, columns))), 0);
}

/**
 * Cuts a frame to the terminal's height (counting wrapped lines) so a redraw never scrolls: whole lines
 * from the bottom go first, replaced by one line saying how many were left out.
 */
export function fitToScreen(text: string, columns: number, rows: number): string {
  const lines = text.replace(/\n$/, "").split("\n");
  if (wrappedHeight(lines.join("\n"), columns) <= rows - 1) return lines.join("\n") + "\n";
  const kept: string[] = [];
  let used = 1; // the "more" line
  for (const l of lines) {
    const h = wrappedHeight(l, columns);
    if (used + h > rows - 1) break;
    kept.push(l);
    used += h;
  }
  const more = lines.length - kept.length;
  return [...kept, truncate(`… ${more} more lines (enlarge the terminal, or use -o json)`, columns - 1)].join("\n") +
    "\n";
}

export function renderHuman(s: StatusSnapshot, io: Pick<Io, "color" | "env">, opts: RenderOptions = {}): string {
  const c = colors(io);
  const sym = symbols(io);
  const out: string[] = [];
  const heading = (t: string) => out.push("", c.bold(`= ${t} =`));
  const sectionError = <T>(sec: Section<T>): sec is { error: string } => {
    if (!isError(sec)) return false;
    out.push(c.red(`${sym.fail} could not read: ${sec.error}`));
    return true;
  };

  /** Tables are cut to the terminal width (a wrapped table is unreadable); other lines wrap. */
  const table = (rows: string[][], header: string[]) => {
    const text = formatTable(rows, { header }).trimEnd();
    const cols = opts.columns ?? 0;
    return cols > 0 ? text.split("\n").map((l) => truncate(l, cols - 1)).join("\n") : text;
  };
  const ph = s.phase;
  const paint = ph.state === "complete"
    ? c.green
    : ph.state === "blocked" || ph.state === "failed"
    ? c.red
    : ph.state === "not-started" || ph.state === "unknown"
    ? (t: string) => t
    : c.cyan;
  out.push(`${c.bold("Migration:")} ${paint(ph.title)}`);
  if (ph.to) {
    out.push(
      `${c.bold("Direction:")} ${ph.from ?? "?"} → ${ph.to ?? "?"}${ph.method ? ` (${ph.method})` : ""}${
        ph.rollback ? " — rollback" : ""
      }`,
    );
  }
  if (ph.detail) out.push(`${c.bold("Now:")} ${ph.detail}`);
  const t = s.timing;
  if (t.elapsedSeconds !== null || t.nodeUpdatesTotal !== null) {
    const parts: string[] = [];
    if (t.elapsedSeconds !== null) parts.push(formatDuration(t.elapsedSeconds));
    if (t.etaSeconds !== null && ph.state !== "complete") parts.push(`est. ${formatDuration(t.etaSeconds)} left`);
    if (t.nodeUpdatesTotal !== null) parts.push(`${t.nodeUpdatesDone} of ${t.nodeUpdatesTotal} node updates`);
    out.push(`${c.bold("Duration:")} ${parts.join(" · ")}`);
  }

  if (s.problems.length) {
    heading("What to do");
    for (const p of s.problems) {
      const mark = p.severity === "warning" ? c.yellow(sym.warn) : c.red(sym.fail);
      out.push(`${mark} ${p.message}`);
      for (const f of p.fix) out.push(`    ${f}`);
    }
  }
  if (isError(s.conditions) || s.conditions.length > 0) {
    heading("Live migration conditions");
    if (!sectionError(s.conditions)) {
      out.push(
        table(
          s.conditions.map((x) => [
            short(x.type),
            x.status === "True" ? c.green(x.status) : x.status === "False" ? c.yellow(x.status) : x.status,
            x.reason,
            oneLine(x.message),
          ]),
          ["condition", "status", "reason", "message"],
        ),
      );
    }
  }

  heading("Machine config pools");
  if (!sectionError(s.pools)) {
    out.push(
      table(
        s.pools.map((p) => [
          p.name,
          `${p.updated}/${p.total}`,
          `${p.ready}/${p.total}`,
          p.degraded ? c.red(String(p.degraded)) : "0",
          p.paused ? c.yellow("yes") : "no",
          p.updating ? "yes" : "no",
          p.plugin ?? "",
        ]),
        ["pool", "updated", "ready", "degraded", "paused", "updating", "plugin"],
      ) || "no machine config pools",
    );
  }

  heading("Nodes");
  if (!sectionError(s.nodes)) {
    const n = s.nodes;
    const plugins = Object.entries(n.plugins).map(([k, v]) => `${k} ${v}`).join(", ");
    out.push(
      `${n.total} nodes: ${n.ready} Ready, ${n.configUpToDate} config up to date, ${n.working} updating, ` +
        `${n.degraded} degraded` +
        (n.rebootedSinceFlip !== null ? `, ${n.rebootedSinceFlip} rebooted since the flip` : "") +
        (plugins ? `; plugin: ${plugins}` : ""),
    );
    const max = opts.maxNodes ?? 8;
    const shown = n.laggards.slice(0, max);
    if (shown.length) {
      out.push(
        table(
          shown.map((
            r,
          ) => [r.name, r.pool ?? "", r.state || "-", r.ready ? "Ready" : c.red("NotReady"), r.plugin ?? "?", r.why]),
          ["node", "pool", "state", "ready", "plugin", "why"],
        ),
      );
      const more = n.laggards.length - shown.length + n.laggardsOmitted;
      if (more > 0) out.push(`… and ${more} more (oc ovn-migrate status -o json lists up to 50)`);
    }
  }

  heading("Cluster operators");
  if (!sectionError(s.operators)) {
    if (s.operators.length === 0) out.push(`${c.green(sym.ok)} all healthy`);
    else {
      out.push(
        table(
          s.operators.map((o) => [o.name, o.available, o.progressing, o.degraded, oneLine(o.message || o.reason)]),
          ["operator", "available", "progressing", "degraded", "message"],
        ),
      );
    }
  }

  heading(`Metrics${s.metrics.source ? ` (${s.metrics.source})` : ""}`);
  if (!s.metrics.available) out.push(c.yellow(`${sym.warn} ${s.metrics.why}`));
  else {
    const conds = Object.entries(s.metrics.conditions).map(([k, v]) => `${short(k)}=${v}`).join(" ");
    out.push(`live_migration_blocked: ${s.metrics.blocked.length ? c.red(s.metrics.blocked.join(", ")) : "none"}`);
    out.push(`live_migration_condition: ${conds || "no series (published once the migration is triggered)"}`);
  }

  if (s.errors.length) {
    heading("Read errors");
    for (const e of s.errors) out.push(c.red(`${sym.fail} ${e.section}: ${e.error}`));
  }
  return out.join("\n") + "\n";
}
