/** OpenShift version parsing and the method gates of procedures.md §0. */

export interface Version {
  major: number;
  minor: number;
  patch: number;
  text: string;
}

export function parseVersion(text: string | undefined): Version | undefined {
  const m = text?.trim().match(/^v?(\d+)\.(\d+)(?:\.(\d+))?/);
  if (!m) return undefined;
  return { major: Number(m[1]), minor: Number(m[2]), patch: Number(m[3] ?? 0), text: text!.trim() };
}

export function compare(a: Version, b: [number, number, number]): number {
  return a.major - b[0] || a.minor - b[1] || a.patch - b[2];
}

export type SourcePlugin = "OpenShiftSDN" | "Kuryr";

/** The plugins a cluster can be migrated from; checks that size a migration apply only to them. */
export const SOURCE_PLUGINS: readonly SourcePlugin[] = ["OpenShiftSDN", "Kuryr"];

export const isSourcePlugin = (t: string | undefined): t is SourcePlugin =>
  (SOURCE_PLUGINS as readonly (string | undefined)[]).includes(t);

/** First version with the limited live migration (KB 7057169): 4.15.31; GA in 4.16. */
export const LIVE_MIN_415: [number, number, number] = [4, 15, 31];
/** ROSA Classic / OSD must be on 4.16.43+ for the live migration (KB 7057169). */
export const MANAGED_LIVE_MIN: [number, number, number] = [4, 16, 43];

/** Why `method` cannot run from `source` on version `v`, or undefined when the version allows it. */
export function versionBlocker(v: Version, source: SourcePlugin, method: "offline" | "live"): string | undefined {
  if (v.major !== 4) return `version ${v.text} is not an OpenShift 4 release`;
  if (source === "Kuryr") {
    if (method === "live") return "there is no live migration from Kuryr; the Kuryr procedure is offline";
    if (v.minor >= 15) return `Kuryr was removed in 4.15; version ${v.text} cannot run Kuryr`;
    if (v.minor < 12) return `the Kuryr migration needs 4.12–4.14 (found ${v.text}); update to 4.14 first`;
    return undefined;
  }
  if (v.minor >= 17) return `OpenShift SDN was removed in 4.17; version ${v.text} cannot run it`;
  if (v.minor < 12) return `the migration is documented from 4.12 (found ${v.text}); update to 4.12 or later first`;
  if (method === "live" && compare(v, LIVE_MIN_415) < 0) {
    return `the limited live migration needs 4.16 or 4.15.31+ (found ${v.text})`;
  }
  return undefined;
}
