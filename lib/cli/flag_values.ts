/**
 * Parse-time validators for flag values. Each throws commander's InvalidArgumentError, which commander
 * turns into "option '--mtu <bytes>' argument 'x' is invalid. <reason>" and the program maps to exit 2.
 */
import { InvalidArgumentError } from "commander";
import { parseTimeout } from "../duration.ts";

export function intInRange(min: number, max: number, what: string): (value: string) => number {
  return (value) => {
    const v = value.trim();
    if (!/^\d+$/.test(v)) throw new InvalidArgumentError(`${what} must be a whole number from ${min} to ${max}.`);
    const n = Number(v);
    if (n < min || n > max) throw new InvalidArgumentError(`${what} must be from ${min} to ${max}.`);
    return n;
  };
}

export const parseMtu = intInRange(576, 9216, "The MTU");
export const parsePort = intInRange(1, 65535, "A UDP port");
export const parseHostPrefix = intInRange(1, 128, "The host prefix");

/** `--reboot-batch N|all`. */
export function parseBatch(value: string): number | "all" {
  if (value.trim() === "all") return "all";
  return intInRange(1, 100_000, "The batch size (or 'all')")(value);
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
  return intInRange(0, 10, "The log level (-v)")(v);
}

/** Accumulates a repeatable flag (`--skip-check a --skip-check b`, also `a,b`). */
export function collect(value: string, previous: string[] = []): string[] {
  return previous.concat(value.split(",").map((s) => s.trim()).filter((s) => s.length > 0));
}

export type IpFamily = "v4" | "v6";

/** The address family of a CIDR, or undefined when it is not CIDR syntax. */
export function cidrFamily(text: string): IpFamily | undefined {
  const slash = text.indexOf("/");
  if (slash < 0) return undefined;
  const addr = text.slice(0, slash);
  const prefix = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(prefix)) return undefined;
  const bits = Number(prefix);
  if (isIPv4(addr)) return bits <= 32 ? "v4" : undefined;
  if (isIPv6(addr)) return bits <= 128 ? "v6" : undefined;
  return undefined;
}

function isIPv4(addr: string): boolean {
  const parts = addr.split(".");
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255);
}

function isIPv6(addr: string): boolean {
  if (!addr.includes(":") || !/^[0-9a-fA-F:.]+$/.test(addr)) return false;
  try {
    new URL(`http://[${addr}]/`);
    return true;
  } catch {
    return false;
  }
}

/** A CIDR validator; `family` restricts it to IPv4 or IPv6. */
export function parseCidr(family?: IpFamily): (value: string) => string {
  return (value) => {
    const v = value.trim();
    const got = cidrFamily(v);
    const example = family === "v6" ? "fd98::/64" : "100.66.0.0/16";
    if (!got) throw new InvalidArgumentError(`Not a CIDR; use the form ${example}.`);
    if (family && got !== family) {
      throw new InvalidArgumentError(`This flag takes an IP${family} CIDR such as ${example}.`);
    }
    return v;
  };
}
