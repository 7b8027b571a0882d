/**
 * IPv4/IPv6 address and CIDR arithmetic on bigints, the effective OVN-Kubernetes internal subnets,
 * and a search for free replacement ranges. Pure; no Deno or network APIs.
 */

export type Family = 4 | 6;

export interface Cidr {
  family: Family;
  /** Network address (host bits cleared). */
  network: bigint;
  prefix: number;
  /** Canonical text, e.g. `10.128.0.0/14`. */
  text: string;
}

const BITS: Record<Family, number> = { 4: 32, 6: 128 };

function parseV4(s: string): bigint | undefined {
  const parts = s.split(".");
  if (parts.length !== 4) return undefined;
  let out = 0n;
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out = (out << 8n) | BigInt(n);
  }
  return out;
}

function parseV6(s: string): bigint | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(s)) return undefined;
  const halves = s.split("::");
  if (halves.length > 2) return undefined;
  const groups = (h: string): number[] | undefined => {
    if (h === "") return [];
    const out: number[] = [];
    const parts = h.split(":");
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (p.includes(".") && i === parts.length - 1) {
        // Embedded IPv4 in the last two groups (::ffff:1.2.3.4).
        const v4 = parseV4(p);
        if (v4 === undefined) return undefined;
        out.push(Number(v4 >> 16n), Number(v4 & 0xffffn));
        continue;
      }
      if (!/^[0-9a-fA-F]{1,4}$/.test(p)) return undefined;
      out.push(parseInt(p, 16));
    }
    return out;
  };
  const head = groups(halves[0]);
  const tail = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !tail) return undefined;
  const fill = 8 - head.length - tail.length;
  if (halves.length === 1 ? fill !== 0 : fill < 1) return undefined;
  const all = [...head, ...Array(halves.length === 2 ? fill : 0).fill(0), ...tail];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

/** An IP address as family + value, or undefined when it is not an address. */
export function parseIp(text: string): { family: Family; value: bigint } | undefined {
  const s = text.trim();
  const v4 = parseV4(s);
  if (v4 !== undefined) return { family: 4, value: v4 };
  if (!s.includes(":")) return undefined;
  const v6 = parseV6(s);
  return v6 === undefined ? undefined : { family: 6, value: v6 };
}

function mask(family: Family, prefix: number): bigint {
  const bits = BITS[family];
  return prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(bits - prefix);
}

export function formatIp(family: Family, value: bigint): string {
  if (family === 4) {
    return [24n, 16n, 8n, 0n].map((s) => String((value >> s) & 0xffn)).join(".");
  }
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  // RFC 5952: compress the longest run (length ≥ 2) of zero groups.
  let best = -1, bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) [best, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best < 0) return hex.join(":");
  return `${hex.slice(0, best).join(":")}::${hex.slice(best + bestLen).join(":")}`;
}

function make(family: Family, value: bigint, prefix: number): Cidr {
  const network = value & mask(family, prefix);
  return { family, network, prefix, text: `${formatIp(family, network)}/${prefix}` };
}

/** Parses `a.b.c.d/n` or `x::/n`; a bare address becomes a host route (/32, /128). Undefined when invalid. */
export function parseCidr(text: string): Cidr | undefined {
  const [addr, len, extra] = text.trim().split("/");
  if (extra !== undefined) return undefined;
  const ip = parseIp(addr);
  if (!ip) return undefined;
  const bits = BITS[ip.family];
  if (len === undefined) return make(ip.family, ip.value, bits);
  if (!/^\d{1,3}$/.test(len)) return undefined;
  const prefix = Number(len);
  if (prefix > bits) return undefined;
  return make(ip.family, ip.value, prefix);
}

/** Like parseCidr but throws a readable error. */
export function mustCidr(text: string): Cidr {
  const c = parseCidr(text);
  if (!c) throw new Error(`invalid CIDR "${text}"`);
  return c;
}

function lastAddress(c: Cidr): bigint {
  return c.network | (~mask(c.family, c.prefix) & ((1n << BigInt(BITS[c.family])) - 1n));
}

/** Whether `outer` contains the address or the whole CIDR `inner`. */
export function contains(outer: Cidr, inner: Cidr | string): boolean {
  const c = typeof inner === "string" ? parseCidr(inner) : inner;
  if (!c || c.family !== outer.family || c.prefix < outer.prefix) return false;
  return (c.network & mask(outer.family, outer.prefix)) === outer.network;
}

/** Two CIDRs overlap when either contains the other (CIDR blocks nest or are disjoint). */
export function overlaps(a: Cidr, b: Cidr): boolean {
  if (a.family !== b.family) return false;
  return a.network <= lastAddress(b) && b.network <= lastAddress(a);
}

/** Subnets of `block` with the given prefix, in address order, at most `limit`. */
export function* subnets(block: Cidr, prefix: number, limit = 1_000_000): Generator<Cidr> {
  if (prefix < block.prefix || prefix > BITS[block.family]) return;
  const step = 1n << BigInt(BITS[block.family] - prefix);
  const end = lastAddress(block);
  let n = 0;
  for (let v = block.network; v <= end && n < limit; v += step, n++) yield make(block.family, v, prefix);
}

/**
 * The first `count` subnets of length `prefix` inside the candidate blocks that overlap none of `used`.
 * Skips overlapping ranges in one jump so that scanning a big block stays cheap.
 */
export function findFree(candidates: Cidr[], prefix: number, used: Cidr[], count = 1): Cidr[] {
  const out: Cidr[] = [];
  for (const block of candidates) {
    if (prefix < block.prefix || prefix > BITS[block.family]) continue;
    const step = 1n << BigInt(BITS[block.family] - prefix);
    const end = lastAddress(block);
    const sameFamily = used.filter((u) => u.family === block.family);
    let v = block.network;
    while (v <= end && out.length < count) {
      const cand = make(block.family, v, prefix);
      const hit = sameFamily.find((u) => overlaps(u, cand));
      if (!hit) {
        if (!out.some((o) => overlaps(o, cand))) out.push(cand);
        v += step;
        continue;
      }
      // Jump past the end of the overlapping range, aligned to the step.
      const after = lastAddress(hit) + 1n;
      const next = ((after + step - 1n) / step) * step;
      v = next > v ? next : v + step;
    }
    if (out.length >= count) break;
  }
  return out;
}

export type InternalKind = "join" | "transit" | "masquerade";

export interface InternalSubnet {
  kind: InternalKind;
  family: Family;
  cidr: Cidr;
  /** Where the value comes from: "default (4.16)", a network.operator field, or a command-line flag. */
  source: string;
}

/** The subset of `ovnKubernetesConfig` that sets internal subnets. */
export interface OvnInternalConfig {
  v4InternalSubnet?: string;
  v6InternalSubnet?: string;
  ipv4?: { internalJoinSubnet?: string; internalTransitSwitchSubnet?: string };
  ipv6?: { internalJoinSubnet?: string; internalTransitSwitchSubnet?: string };
  gatewayConfig?: { ipv4?: { internalMasqueradeSubnet?: string }; ipv6?: { internalMasqueradeSubnet?: string } };
}

/** Values the user plans to pass to `execute` (they win over the cluster's configuration). */
export interface InternalOverrides {
  joinSubnet?: string;
  v4InternalSubnet?: string;
  v6InternalSubnet?: string;
  transitSubnet?: string;
}

export const DEFAULT_SUBNETS = {
  join: { 4: "100.64.0.0/16", 6: "fd98::/64" },
  transit: { 4: "100.88.0.0/16", 6: "fd97::/64" },
  /** 4.14–4.16; 4.17 moved to 169.254.0.0/17 and fd69::/112. */
  masquerade: { 4: "169.254.169.0/29", 6: "fd69::/125" },
  masquerade417: { 4: "169.254.0.0/17", 6: "fd69::/112" },
} as const;

/**
 * The join, transit and masquerade subnets OVN-Kubernetes will use, per family, as CNO computes them
 * (`ipv4.internalJoinSubnet` wins over `v4InternalSubnet`; transit exists from 4.14 (interconnect);
 * masquerade defaults changed in 4.17). Command-line values win over the cluster's.
 */
export function effectiveInternalSubnets(
  ovn: OvnInternalConfig | undefined,
  minor: number | undefined,
  overrides: InternalOverrides = {},
): InternalSubnet[] {
  const out: InternalSubnet[] = [];
  const add = (kind: InternalKind, family: Family, candidates: [string | undefined, string][]) => {
    for (const [value, source] of candidates) {
      if (!value) continue;
      const cidr = parseCidr(value);
      if (cidr && cidr.family === family) {
        out.push({ kind, family, cidr, source });
        return;
      }
    }
  };
  const ver = minor === undefined ? "" : ` (4.${minor})`;
  add("join", 4, [
    [overrides.joinSubnet, "--join-subnet"],
    [overrides.v4InternalSubnet, "--v4-internal-subnet"],
    [ovn?.ipv4?.internalJoinSubnet, "ovnKubernetesConfig.ipv4.internalJoinSubnet"],
    [ovn?.v4InternalSubnet, "ovnKubernetesConfig.v4InternalSubnet"],
    [DEFAULT_SUBNETS.join[4], `default${ver}`],
  ]);
  add("join", 6, [
    [overrides.v6InternalSubnet, "--v6-internal-subnet"],
    [ovn?.ipv6?.internalJoinSubnet, "ovnKubernetesConfig.ipv6.internalJoinSubnet"],
    [ovn?.v6InternalSubnet, "ovnKubernetesConfig.v6InternalSubnet"],
    [DEFAULT_SUBNETS.join[6], `default${ver}`],
  ]);
  if (minor === undefined || minor >= 14) {
    add("transit", 4, [
      [overrides.transitSubnet, "--transit-subnet"],
      [ovn?.ipv4?.internalTransitSwitchSubnet, "ovnKubernetesConfig.ipv4.internalTransitSwitchSubnet"],
      [DEFAULT_SUBNETS.transit[4], `default${ver}`],
    ]);
    add("transit", 6, [
      [ovn?.ipv6?.internalTransitSwitchSubnet, "ovnKubernetesConfig.ipv6.internalTransitSwitchSubnet"],
      [DEFAULT_SUBNETS.transit[6], `default${ver}`],
    ]);
  }
  const masq = minor !== undefined && minor >= 17 ? DEFAULT_SUBNETS.masquerade417 : DEFAULT_SUBNETS.masquerade;
  add("masquerade", 4, [
    [
      ovn?.gatewayConfig?.ipv4?.internalMasqueradeSubnet,
      "ovnKubernetesConfig.gatewayConfig.ipv4.internalMasqueradeSubnet",
    ],
    [masq[4], `default${ver}`],
  ]);
  add("masquerade", 6, [
    [
      ovn?.gatewayConfig?.ipv6?.internalMasqueradeSubnet,
      "ovnKubernetesConfig.gatewayConfig.ipv6.internalMasqueradeSubnet",
    ],
    [masq[6], `default${ver}`],
  ]);
  return out;
}

/** Where to look for a replacement of each internal subnet, in order of preference. */
export function candidateBlocks(kind: InternalKind, family: Family): Cidr[] {
  if (family === 6) {
    return kind === "masquerade" ? [mustCidr("fd69::/64")] : [mustCidr("fd98::/48"), mustCidr("fd00::/8")];
  }
  if (kind === "masquerade") return [mustCidr("169.254.0.0/16")];
  // Shared address space first (where OVN's defaults live), then the RFC 1918 blocks.
  return [mustCidr("100.64.0.0/10"), mustCidr("172.16.0.0/12"), mustCidr("192.168.0.0/16"), mustCidr("10.0.0.0/8")];
}
