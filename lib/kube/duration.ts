/**
 * kubectl's `--request-timeout` syntax: Go durations ("30s", "1m30s", "250ms", "1.5h"), a bare integer
 * meaning seconds, and "0" meaning no timeout.
 */
import { UsageError } from "../errors.ts";

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  "µs": 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

/** Milliseconds for a kubectl duration; 0 means "no timeout". */
export function parseKubeDuration(text: string, flag = "--request-timeout"): number {
  const value = text.trim();
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const part = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;
  let total = 0;
  let pos = 0;
  while (pos < value.length) {
    part.lastIndex = pos;
    const m = part.exec(value);
    if (!m) {
      throw new UsageError(
        `Invalid ${flag} value "${text}".`,
        `Use a duration such as 30s, 1m or 2m30s ("0" means no timeout).`,
      );
    }
    total += Number(m[1]) * UNIT_MS[m[2]];
    pos = part.lastIndex;
  }
  if (value.length === 0) {
    throw new UsageError(`Invalid ${flag} value "".`, `Use a duration such as 30s or 1m ("0" means no timeout).`);
  }
  return Math.round(total);
}
