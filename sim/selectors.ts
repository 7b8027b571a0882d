/** Label and field selectors with the syntax and semantics of the Kubernetes API server. */

// deno-lint-ignore no-explicit-any
type Obj = Record<string, any>;

export type LabelRequirement =
  | { key: string; op: "=" | "!="; values: [string] }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: "exists" | "!exists"; values: [] };

export class SelectorError extends Error {}

/** Parses `a=b,c!=d,e in (x,y),!f,g` into requirements (all must hold). */
export function parseLabelSelector(text: string | null | undefined): LabelRequirement[] {
  if (!text || !text.trim()) return [];
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  parts.push(cur);
  return parts.map((raw) => {
    const p = raw.trim();
    let m = p.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/);
    if (m) {
      return {
        key: m[1],
        op: m[2] as "in" | "notin",
        values: m[3].split(",").map((v) => v.trim()).filter((v) => v !== ""),
      };
    }
    m = p.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/);
    if (m) return { key: m[1], op: m[2] === "!=" ? "!=" : "=", values: [m[3]] as [string] };
    m = p.match(/^!([\w./-]+)$/);
    if (m) return { key: m[1], op: "!exists", values: [] as [] };
    m = p.match(/^([\w./-]+)$/);
    if (m) return { key: m[1], op: "exists", values: [] as [] };
    throw new SelectorError(`unable to parse requirement: ${JSON.stringify(p)}`);
  });
}

export function matchLabels(labels: Record<string, string> | undefined, reqs: LabelRequirement[]): boolean {
  const l = labels ?? {};
  return reqs.every((r) => {
    const has = Object.hasOwn(l, r.key);
    switch (r.op) {
      case "=":
        return has && l[r.key] === r.values[0];
      case "!=":
        return !has || l[r.key] !== r.values[0];
      case "in":
        return has && r.values.includes(l[r.key]);
      case "notin":
        return !has || !r.values.includes(l[r.key]);
      case "exists":
        return has;
      case "!exists":
        return !has;
    }
  });
}

export interface FieldRequirement {
  path: string;
  op: "=" | "!=";
  value: string;
}

/** Parses `metadata.name=x,spec.nodeName!=y`. */
export function parseFieldSelector(text: string | null | undefined): FieldRequirement[] {
  if (!text || !text.trim()) return [];
  return text.split(",").map((raw) => {
    const m = raw.trim().match(/^([\w.]+)\s*(==|=|!=)\s*(.*)$/);
    if (!m) throw new SelectorError(`invalid field selector: ${JSON.stringify(raw)}`);
    return { path: m[1], op: m[2] === "!=" ? "!=" : "=", value: m[3] };
  });
}

export function fieldValue(obj: Obj, path: string): string {
  let cur: unknown = obj;
  for (const part of path.split(".")) {
    if (cur === null || typeof cur !== "object") return "";
    cur = (cur as Obj)[part];
  }
  return cur === undefined || cur === null ? "" : String(cur);
}

export function matchFields(obj: Obj, reqs: FieldRequirement[]): boolean {
  return reqs.every((r) => (fieldValue(obj, r.path) === r.value) === (r.op === "="));
}
