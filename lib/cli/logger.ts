/**
 * `-v` logging in kubectl's spirit: a line is shown when its level ≤ the -v level, on stderr, and every
 * line goes through credential redaction first (so even -v=10 cannot print a token).
 */
import type { Io, Logger } from "./context.ts";
import { redact } from "../redact.ts";

export interface LevelLogger extends Logger {
  readonly level: number;
  enabled(level: number): boolean;
}

function stamp(now: Date): string {
  const p = (n: number, w = 2) => String(n).padStart(w, "0");
  return `${p(now.getUTCMonth() + 1)}${p(now.getUTCDate())} ${p(now.getUTCHours())}:${p(now.getUTCMinutes())}:` +
    `${p(now.getUTCSeconds())}.${p(now.getUTCMilliseconds(), 3)}`;
}

export function createLogger(level: number, io: Pick<Io, "stderr">, now: () => Date = () => new Date()): LevelLogger {
  return {
    level,
    enabled: (l) => l <= level,
    debug(l, message) {
      if (l > level) return;
      const lines = redact(message).split("\n");
      io.stderr(lines.map((line) => `I${stamp(now())} v${l}] ${line}\n`).join(""));
    },
  };
}
