/** IPv4 address management for simulated subnets: gateway, allocation pools, next free address. */
import { ipv4, parseCidr4 } from "../scenario/generate.ts";
import type { Rec } from "./cloud.ts";

const toInt = (ip: string) => ip.split(".").reduce((n, o) => (n * 256 + Number(o)) >>> 0, 0);

/** Whether an IPv4 address lies in a CIDR. */
export function inCidr(ip: string, cidr: string): boolean {
  const c = parseCidr4(cidr);
  if (!c || !/^\d+\.\d+\.\d+\.\d+$/.test(ip)) return false;
  const size = 2 ** (32 - c.prefix);
  const n = toInt(ip);
  return n >= c.base && n < c.base + size;
}

/** Neutron's defaults for a new subnet: gateway = first host, one pool from the second host to the last. */
export function subnetDefaults(
  cidr: string,
  gateway?: string | null,
): { gateway_ip: string | null; allocation_pools: Rec[] } {
  const c = parseCidr4(cidr);
  if (!c) throw new Error(`${cidr} is not an IPv4 CIDR`);
  const last = c.base + 2 ** (32 - c.prefix) - 2;
  const gw = gateway === undefined ? ipv4(c.base + 1) : gateway;
  const gwInt = gw ? toInt(gw) : -1;
  const start = gwInt === c.base + 1 ? c.base + 2 : c.base + 1;
  const end = gwInt === last ? last - 1 : last;
  return { gateway_ip: gw, allocation_pools: [{ start: ipv4(start), end: ipv4(end) }] };
}

/** The next address of `subnet`'s pools that no port in `used` holds. */
export function nextFreeAddress(subnet: Rec, used: Set<string>): string {
  for (const pool of subnet.allocation_pools ?? []) {
    for (let n = toInt(pool.start); n <= toInt(pool.end); n++) {
      const ip = ipv4(n);
      if (!used.has(ip) && ip !== subnet.gateway_ip) return ip;
    }
  }
  throw new Error(`subnet ${subnet.id} is full`);
}

/** The `index`-th prefix of length `prefixLen` inside `cidr`. */
export function nthPrefix(cidr: string, prefixLen: number, index: number): string {
  const c = parseCidr4(cidr);
  if (!c) throw new Error(`${cidr} is not an IPv4 CIDR`);
  return `${ipv4(c.base + index * 2 ** (32 - prefixLen))}/${prefixLen}`;
}
