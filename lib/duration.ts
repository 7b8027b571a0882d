/**
 * Durations the way kubectl reads them: Go's time.ParseDuration ("1h30m", "2.5s", "300ms") and, for
 * timeouts, a bare integer meaning seconds ("0" = no timeout), as client-go's ParseTimeout does. The one
 * parser of the product: flags, the kubeconfig's request timeout and messages all go through it.
 */
const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  "μs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const PART = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;

/** Go duration syntax to milliseconds; throws RangeError with the reason on bad input. */
export function parseGoDuration(text: string): number {
  let rest = text.trim();
  let sign = 1;
  if (rest.startsWith("-") || rest.startsWith("+")) {
    if (rest[0] === "-") sign = -1;
    rest = rest.slice(1);
  }
  if (rest === "0") return 0;
  if (rest === "") throw new RangeError(`invalid duration "${text}"`);
  let total = 0;
  while (rest.length > 0) {
    const m = PART.exec(rest);
    if (!m) {
      const hint = /^\d+(\.\d*)?$/.test(rest) ? "missing unit" : "unknown unit or syntax";
      throw new RangeError(`invalid duration "${text}" (${hint})`);
    }
    total += Number(m[1]) * UNIT_MS[m[2]];
    rest = rest.slice(m[0].length);
  }
  return sign * total;
}

/** kubectl's --request-timeout / --timeout: integer seconds or a Go duration; never negative. */
export function parseTimeout(text: string): number {
  const t = text.trim();
  if (/^\d+$/.test(t)) return Number(t) * 1000;
  const ms = parseGoDuration(t);
  if (ms < 0) throw new RangeError(`invalid timeout "${text}" (must not be negative)`);
  return ms;
}

/** 90000 → "1m30s", for help texts and messages. */
export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  const parts: string[] = [];
  let rest = Math.round(ms);
  for (const [unit, size] of [["h", 3_600_000], ["m", 60_000], ["s", 1000]] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return parts.join("");
}
