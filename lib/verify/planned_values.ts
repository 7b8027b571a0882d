/**
 * The syntax rules for the network values a user plans to pass (MTU, UDP ports, CIDRs, host prefix): the one
 * validator behind every flag that takes them. What the cluster makes of a value (overlaps, headroom under the
 * hardware MTU) is checked later, against the facts (lib/migrate/flag_checks.ts, the preflight checks).
 */
import { type Family, parseCidr } from "./cidr.ts";

/** The range an MTU may take: IPv4's minimum datagram size up to jumbo frames. */
export const MTU_RANGE = { min: 576, max: 9216 } as const;

/** A value that breaks the rules; the message says what the rule is. */
export class ValueError extends Error {}

export function wholeNumber(text: string, min: number, max: number, what: string): number {
  const v = text.trim();
  if (!/^\d+$/.test(v)) throw new ValueError(`${what} must be a whole number from ${min} to ${max}.`);
  const n = Number(v);
  if (n < min || n > max) throw new ValueError(`${what} must be from ${min} to ${max}.`);
  return n;
}

export const mtuValue = (text: string) => wholeNumber(text, MTU_RANGE.min, MTU_RANGE.max, "The MTU");
export const portValue = (text: string) => wholeNumber(text, 1, 65535, "A UDP port");
export const hostPrefixValue = (text: string) => wholeNumber(text, 1, 128, "The host prefix");

/** The address family of a CIDR written with its prefix length, or undefined when it is not one. */
export function cidrFamily(text: string): Family | undefined {
  const t = text.trim();
  return t.includes("/") ? parseCidr(t)?.family : undefined;
}

/** A CIDR as written (trimmed); `family` restricts it to IPv4 or IPv6. */
export function cidrValue(text: string, family?: Family): string {
  const v = text.trim();
  const got = cidrFamily(v);
  const example = family === 6 ? "fd98::/64" : "100.66.0.0/16";
  if (!got) throw new ValueError(`Not a CIDR; use the form ${example}.`);
  if (family && got !== family) throw new ValueError(`This flag takes an IPv${family} CIDR such as ${example}.`);
  return v;
}
