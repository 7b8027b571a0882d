/**
 * A small PromQL subset for the simulated Prometheus (cluster-behaviour.md §3): instant-vector selectors with
 * `=`, `!=`, `=~`, `!~` matchers, `sum`/`count`/`max`/`min`/`avg` with `by`/`without`, comparison with a
 * number, and number literals. Errors read like Prometheus's parse errors.
 */

export interface Sample {
  labels: Record<string, string>;
  value: number;
}

export type QueryResult = { type: "vector"; samples: Sample[] } | { type: "scalar"; value: number };

export class PromQLError extends Error {}

type Tok = { t: "id" | "str" | "num" | "op" | "punct"; v: string; pos: number };

function tokenize(q: string): Tok[] {
  const out: Tok[] = [];
  let i = 0;
  while (i < q.length) {
    const ch = q[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    const start = i;
    if (/[A-Za-z_:]/.test(ch)) {
      while (i < q.length && /[A-Za-z0-9_:]/.test(q[i])) i++;
      out.push({ t: "id", v: q.slice(start, i), pos: start });
    } else if (
      /[0-9.]/.test(ch) || ((ch === "-" || ch === "+") && /[0-9.]/.test(q[i + 1] ?? "") && prevIsOperand(out))
    ) {
      i++;
      while (i < q.length && /[0-9.eE]/.test(q[i])) i++;
      out.push({ t: "num", v: q.slice(start, i), pos: start });
    } else if (ch === '"' || ch === "'" || ch === "`") {
      i++;
      let s = "";
      while (i < q.length && q[i] !== ch) {
        if (q[i] === "\\" && ch !== "`") {
          i++;
          const e = q[i];
          s += e === "n" ? "\n" : e === "t" ? "\t" : e;
        } else s += q[i];
        i++;
      }
      if (i >= q.length) throw err(start, "unterminated quoted string " + ch);
      i++;
      out.push({ t: "str", v: s, pos: start });
    } else if (/[=!<>]/.test(ch)) {
      const two = q.slice(i, i + 2);
      if (["==", "!=", "=~", "!~", ">=", "<="].includes(two)) {
        out.push({ t: "op", v: two, pos: start });
        i += 2;
      } else if (ch === "!") {
        throw err(start, `unexpected character after '!': '${q[i + 1] ?? ""}'`);
      } else {
        out.push({ t: "op", v: ch, pos: start });
        i++;
      }
    } else if ("{}(),[]".includes(ch)) {
      out.push({ t: "punct", v: ch, pos: start });
      i++;
    } else {
      throw err(start, `unexpected character: '${ch}'`);
    }
  }
  return out;
}

const prevIsOperand = (toks: Tok[]) => {
  const p = toks[toks.length - 1];
  return !p || p.t === "op" || (p.t === "punct" && ["(", ","].includes(p.v));
};

const err = (pos: number, msg: string) => new PromQLError(`1:${pos + 1}: parse error: ${msg}`);

type Matcher = { name: string; op: "=" | "!=" | "=~" | "!~"; value: string };
type Node =
  | { kind: "selector"; matchers: Matcher[] }
  | { kind: "number"; value: number }
  | { kind: "agg"; op: string; grouping?: { without: boolean; labels: string[] }; expr: Node }
  | { kind: "cmp"; op: string; left: Node; right: Node };

const AGGS = ["sum", "count", "max", "min", "avg"];
const CMPS = ["==", "!=", ">", "<", ">=", "<="];

class Parser {
  #i = 0;
  constructor(readonly toks: Tok[], readonly text: string) {}

  #peek(): Tok | undefined {
    return this.toks[this.#i];
  }
  #next(): Tok {
    const t = this.toks[this.#i++];
    if (!t) throw err(this.text.length, "unexpected end of input");
    return t;
  }
  #expect(v: string): void {
    const t = this.#next();
    if (t.v !== v || t.t === "str") throw err(t.pos, `unexpected ${desc(t)}, expected "${v}"`);
  }

  parse(): Node {
    if (!this.toks.length) throw new PromQLError("unknown position: parse error: no expression found in input");
    const n = this.#expr();
    const extra = this.#peek();
    if (extra) throw err(extra.pos, `unexpected ${desc(extra)}`);
    return n;
  }

  #expr(): Node {
    const left = this.#unary();
    const t = this.#peek();
    if (t?.t === "op" && CMPS.includes(t.v)) {
      this.#i++;
      return { kind: "cmp", op: t.v, left, right: this.#unary() };
    }
    return left;
  }

  #unary(): Node {
    const t = this.#next();
    if (t.t === "num") {
      const v = Number(t.v);
      if (Number.isNaN(v)) throw err(t.pos, `bad number or duration syntax: "${t.v}"`);
      return { kind: "number", value: v };
    }
    if (t.t === "punct" && t.v === "(") {
      const n = this.#expr();
      this.#expect(")");
      return n;
    }
    if (t.t === "punct" && t.v === "{") return this.#selector(undefined, t.pos);
    if (
      t.t === "id" && AGGS.includes(t.v) &&
      (this.#peek()?.v === "(" || ["by", "without"].includes(this.#peek()?.v ?? ""))
    ) {
      return this.#aggregation(t.v);
    }
    if (t.t === "id") {
      if (this.#peek()?.v === "(") throw err(t.pos, `unknown function with name "${t.v}"`);
      if (this.#peek()?.v === "{") {
        this.#i++;
        return this.#rangeCheck(this.#selector(t.v, t.pos));
      }
      return this.#rangeCheck({ kind: "selector", matchers: [{ name: "__name__", op: "=", value: t.v }] });
    }
    throw err(t.pos, `unexpected ${desc(t)}`);
  }

  #rangeCheck(n: Node): Node {
    const t = this.#peek();
    if (t?.v === "[") throw err(t.pos, "range vectors are not supported by this Prometheus (instant queries only)");
    if (t?.t === "id" && t.v === "offset") throw err(t.pos, "offset modifiers are not supported by this Prometheus");
    return n;
  }

  #selector(name: string | undefined, pos: number): Node {
    const matchers: Matcher[] = name ? [{ name: "__name__", op: "=", value: name }] : [];
    while (this.#peek()?.v !== "}") {
      const l = this.#next();
      if (l.t !== "id") throw err(l.pos, `unexpected ${desc(l)} in label matching, expected label`);
      const op = this.#next();
      if (op.t !== "op" || !["=", "!=", "=~", "!~"].includes(op.v)) {
        throw err(op.pos, `unexpected ${desc(op)} in label matching, expected label matching operator`);
      }
      const v = this.#next();
      if (v.t !== "str") throw err(v.pos, `unexpected ${desc(v)} in label matching, expected string`);
      if (op.v === "=~" || op.v === "!~") {
        try {
          new RegExp(`^(?:${v.v})$`);
        } catch {
          throw err(v.pos, `invalid regular expression in label matcher: ${v.v}`);
        }
      }
      matchers.push({ name: l.v, op: op.v as Matcher["op"], value: v.v });
      if (this.#peek()?.v === ",") this.#i++;
      else if (this.#peek()?.v !== "}") {
        const t = this.#next();
        throw err(t.pos, `unexpected ${desc(t)} in label matching, expected "," or "}"`);
      }
    }
    this.#i++;
    if (!matchers.some((m) => !matchesEmpty(m))) {
      throw err(pos, "vector selector must contain at least one non-empty matcher");
    }
    return { kind: "selector", matchers };
  }

  #grouping(): { without: boolean; labels: string[] } {
    const kw = this.#next().v;
    this.#expect("(");
    const labels: string[] = [];
    while (this.#peek()?.v !== ")") {
      const t = this.#next();
      if (t.t !== "id") throw err(t.pos, `unexpected ${desc(t)} in grouping opts, expected label`);
      labels.push(t.v);
      if (this.#peek()?.v === ",") this.#i++;
    }
    this.#i++;
    return { without: kw === "without", labels };
  }

  #aggregation(op: string): Node {
    let grouping = ["by", "without"].includes(this.#peek()?.v ?? "") ? this.#grouping() : undefined;
    this.#expect("(");
    const expr = this.#expr();
    this.#expect(")");
    if (!grouping && ["by", "without"].includes(this.#peek()?.v ?? "")) grouping = this.#grouping();
    return { kind: "agg", op, grouping, expr };
  }
}

const desc = (t: Tok) =>
  t.t === "str"
    ? `string "${t.v}"`
    : t.t === "num"
    ? `number "${t.v}"`
    : t.t === "id"
    ? `identifier "${t.v}"`
    : `"${t.v}"`;

function matchesEmpty(m: Matcher): boolean {
  return matchOne(m, "");
}

function matchOne(m: Matcher, v: string): boolean {
  switch (m.op) {
    case "=":
      return v === m.value;
    case "!=":
      return v !== m.value;
    case "=~":
      return new RegExp(`^(?:${m.value})$`).test(v);
    case "!~":
      return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

export function parsePromQL(query: string): Node {
  return new Parser(tokenize(query), query).parse();
}

/** Evaluates a query over the current samples (each sample's labels include `__name__`). */
export function evaluate(query: string, samples: Sample[]): QueryResult {
  return evalNode(parsePromQL(query), samples);
}

function evalNode(n: Node, all: Sample[]): QueryResult {
  switch (n.kind) {
    case "number":
      return { type: "scalar", value: n.value };
    case "selector":
      return {
        type: "vector",
        samples: all.filter((s) => n.matchers.every((m) => matchOne(m, s.labels[m.name] ?? ""))),
      };
    case "agg": {
      const inner = evalNode(n.expr, all);
      if (inner.type !== "vector") {
        throw new PromQLError(`expected type instant vector in aggregation expression, got scalar`);
      }
      return { type: "vector", samples: aggregate(n.op, n.grouping, inner.samples) };
    }
    case "cmp": {
      const l = evalNode(n.left, all), r = evalNode(n.right, all);
      if (l.type === "scalar" && r.type === "scalar") {
        throw new PromQLError("comparisons between scalars must use BOOL modifier");
      }
      if (l.type === "vector" && r.type === "vector") {
        throw new PromQLError("vector-to-vector comparisons are not supported by this Prometheus");
      }
      const vec = l.type === "vector" ? l.samples : (r as { samples: Sample[] }).samples;
      const k = l.type === "scalar" ? l.value : (r as { value: number }).value;
      const keep = (v: number) => (l.type === "vector" ? compare(n.op, v, k) : compare(n.op, k, v));
      return { type: "vector", samples: vec.filter((s) => keep(s.value)) };
    }
  }
}

function compare(op: string, a: number, b: number): boolean {
  switch (op) {
    case "==":
      return a === b;
    case "!=":
      return a !== b;
    case ">":
      return a > b;
    case "<":
      return a < b;
    case ">=":
      return a >= b;
    default:
      return a <= b;
  }
}

function aggregate(
  op: string,
  grouping: { without: boolean; labels: string[] } | undefined,
  samples: Sample[],
): Sample[] {
  const groups = new Map<string, { labels: Record<string, string>; values: number[] }>();
  for (const s of samples) {
    const labels: Record<string, string> = {};
    if (grouping && !grouping.without) {
      for (const l of grouping.labels) if (s.labels[l] !== undefined && l !== "__name__") labels[l] = s.labels[l];
    } else if (grouping?.without) {
      for (const [k, v] of Object.entries(s.labels)) {
        if (k !== "__name__" && !grouping.labels.includes(k)) labels[k] = v;
      }
    }
    const key = JSON.stringify(Object.entries(labels).sort());
    let g = groups.get(key);
    if (!g) groups.set(key, g = { labels, values: [] });
    g.values.push(s.value);
  }
  return [...groups.values()].map((g) => ({ labels: g.labels, value: reduce(op, g.values) }));
}

function reduce(op: string, vs: number[]): number {
  switch (op) {
    case "sum":
      return vs.reduce((a, b) => a + b, 0);
    case "count":
      return vs.length;
    case "max":
      return Math.max(...vs);
    case "min":
      return Math.min(...vs);
    default:
      return vs.reduce((a, b) => a + b, 0) / vs.length;
  }
}

/** Prometheus's sample value text (strconv 'f', -1). */
export function formatValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  if (Number.isInteger(v) && Math.abs(v) >= 1e21) return BigInt(v).toString();
  return String(v);
}
