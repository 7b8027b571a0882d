/** The preflight report as people read it (sections, a mark per check, the fixes, the summary), or as JSON/YAML. */
import pc from "picocolors";
import { dump } from "js-yaml";
import type { OutputFormat } from "../context.ts";
import type { Level } from "../../verify/checks/types.ts";
import type { PreflightReport } from "../../verify/report_schema.ts";

const SYMBOL: Record<Level, string> = { pass: "✔", warn: "⚠", fail: "✖", skip: "–" };
const RANK: Record<Level, number> = { skip: 0, pass: 1, warn: 2, fail: 3 };

export function renderHuman(report: PreflightReport, color: boolean): string {
  const c = pc.createColors(color);
  const paint: Record<Level, (s: string) => string> = { pass: c.green, warn: c.yellow, fail: c.red, skip: c.dim };
  const lines: string[] = [];
  const cl = report.cluster;
  lines.push(c.bold(`Preflight for ${cl.server}`));
  const known = [cl.version, cl.platform, cl.networkType, cl.nodes].some((v) => v !== undefined);
  lines.push(
    (known
      ? `  OpenShift ${cl.version ?? "?"} on ${cl.platform ?? "?"}, ${cl.networkType ?? "?"}, ${cl.nodes ?? "?"} nodes`
      : "  cluster version, platform, network type and nodes could not be read (see the checks below)") +
      (cl.factsFile ? ` (snapshot ${cl.factsFile}, collected ${cl.factsCollectedAt})` : ""),
  );
  const sections = [...new Set(report.checks.map((r) => r.section))];
  for (const section of sections) {
    lines.push("", c.bold(section));
    // One heading per check and method; several findings of it are listed under it.
    const groups: PreflightReport["checks"][] = [];
    for (const r of report.checks.filter((x) => x.section === section)) {
      const last = groups.at(-1);
      if (last && last[0].id === r.id && last[0].method === r.method) last.push(r);
      else groups.push([r]);
    }
    for (const group of groups) {
      const first = group[0];
      const level = group.reduce<Level>((w, r) => (RANK[r.level] > RANK[w] ? r.level : w), "skip");
      const tag = first.method === "both" ? "" : ` [${first.method}]`;
      const head = `  ${paint[level](SYMBOL[level])} ${first.title}${tag} ${c.dim(`(${first.id})`)}`;
      if (group.length === 1 && first.level === "pass") {
        lines.push(`${head}: ${first.message}`);
        continue;
      }
      lines.push(head);
      for (const r of group) {
        const bullet = group.length > 1 ? `${paint[r.level](SYMBOL[r.level])} ` : "";
        lines.push(`      ${bullet}${r.message}`);
        if (r.fix) lines.push(`      ${group.length > 1 ? "  " : ""}${c.cyan("fix:")} ${r.fix}`);
      }
    }
  }
  const s = report.summary;
  const rec = report.method.recommended;
  const recText = rec === "none" ? c.red("none") : c.bold(rec);
  const methodNote = report.method.requested === "auto" ? "" : ` (evaluated for ${report.method.requested})`;
  lines.push(
    "",
    `${paint.pass(`${s.passed} passed`)}, ${paint.warn(`${s.warnings} warning${s.warnings === 1 ? "" : "s"}`)}, ${
      paint.fail(`${s.failed} failed`)
    }, ` +
      `${s.skipped} skipped${methodNote} — recommended method: ${recText}`,
  );
  for (const reason of report.method.reasons) lines.push(c.dim(`  ${reason}`));
  return lines.join("\n") + "\n";
}

export function renderReport(report: PreflightReport, format: OutputFormat, color: boolean): string {
  if (format === "json") return JSON.stringify(report, null, 2) + "\n";
  if (format === "yaml") return dump(report, { lineWidth: -1, noRefs: true });
  return renderHuman(report, color);
}
