/**
 * Parse-time validators for flag values. Each throws commander's InvalidArgumentError, which commander
 * turns into "option '--mtu <bytes>' argument 'x' is invalid. <reason>" and the program maps to exit 2.
 */
import { InvalidArgumentError } from "commander";
import { parseTimeout } from "../duration.ts";
import { cidrValue, hostPrefixValue, mtuValue, portValue, ValueError, wholeNumber } from "../verify/planned_values.ts";

/** A domain rule as a commander argument parser: a broken rule becomes commander's "argument … is invalid". */
function asFlag<T>(rule: (value: string) => T): (value: string) => T {
  return (value) => {
    try {
      return rule(value);
    } catch (e) {
      if (e instanceof ValueError) throw new InvalidArgumentError(e.message);
      throw e;
    }
  };
}

export const parseMtu = asFlag(mtuValue);
export const parsePort = asFlag(portValue);
export const parseHostPrefix = asFlag(hostPrefixValue);

/** `--reboot-batch N|all`. */
export function parseBatch(value: string): number | "all" {
  if (value.trim() === "all") return "all";
  return asFlag((v) => wholeNumber(v, 1, 100_000, "The batch size (or 'all')"))(value);
}

/** `--timeout`, `--interval`: kubectl durations (`90s`, `5m`, `1h30m`; a bare number is seconds). */
export function parseDurationFlag(value: string): number {
  try {
    return parseTimeout(value);
  } catch {
    throw new InvalidArgumentError("Use a duration such as 30s, 5m or 1h30m (a bare number means seconds).");
  }
}

/** Same syntax as parseDurationFlag but kept as the string kubectl would pass on (`--request-timeout`). */
export function checkedTimeoutString(value: string): string {
  parseDurationFlag(value);
  return value.trim();
}

/** kubectl -v accepts `-v 6`, `-v6`, `-v=6` and `--v=6`. */
export function parseVerbosity(value: string): number {
  const v = value.startsWith("=") ? value.slice(1) : value;
  return asFlag((x) => wholeNumber(x, 0, 10, "The log level (-v)"))(v);
}

/** Accumulates a repeatable flag (`--skip-check a --skip-check b`, also `a,b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return previous.concat(value.split(",").map((s) => s.trim()).filter((s) => s.length > 0));
}

/** A CIDR validator; `family` restricts it to IPv4 or IPv6. */
export function parseCidr(family?: "v4" | "v6"): (value: string) => string {
  return asFlag((v) => cidrValue(v, family === "v4" ? 4 : family === "v6" ? 6 : undefined));
}
