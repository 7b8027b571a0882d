/** Small helpers shared by the simulated operators: structural equality, conditions, CIDR overlap. */
import type { Obj } from "../../store.ts";

/** Structural equality that ignores object key order (the Store compares JSON text, so we check first). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || typeof a !== "object" || typeof b !== "object") {
    return a === b || (a === undefined && b === undefined);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) {
    const bb = b as unknown[];
    return a.length === bb.length && a.every((v, i) => deepEqual(v, bb[i]));
  }
  const ao = a as Obj, bo = b as Obj;
  const keys = new Set([...Object.keys(ao), ...Object.keys(bo)]);
  for (const k of keys) {
    if (ao[k] === undefined && bo[k] === undefined) continue;
    if (!deepEqual(ao[k], bo[k])) return false;
  }
  return true;
}

/** Drops undefined-valued keys recursively (what JSON serialisation would do). */
export function clean<T>(o: T): T {
  return o === undefined ? o : JSON.parse(JSON.stringify(o));
}

export interface Condition {
  type: string;
  status: "True" | "False" | "Unknown";
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

export function findCondition(conds: Condition[] | undefined, type: string): Condition | undefined {
  return (conds ?? []).find((c) => c.type === type);
}

/**
 * Sets a condition like meta.SetStatusCondition: lastTransitionTime changes only when the status does;
 * a new type is appended. Returns the new list (the input is not modified).
 */
export function setCondition(conds: Condition[] | undefined, next: Condition, now: string): Condition[] {
  const list = [...(conds ?? [])];
  const i = list.findIndex((c) => c.type === next.type);
  if (i < 0) {
    list.push({ ...next, lastTransitionTime: now });
    return list;
  }
  const old = list[i];
  const ltt = old.status === next.status && old.lastTransitionTime ? old.lastTransitionTime : now;
  list[i] = { ...old, ...next, lastTransitionTime: ltt };
  if (next.reason === undefined) delete list[i].reason;
  if (next.message === undefined) delete list[i].message;
  return list;
}

interface ParsedCidr {
  family: 4 | 6;
  bits: bigint;
  prefix: number;
}

function parseIp(ip: string): { family: 4 | 6; bits: bigint } | undefined {
  if (ip.includes(":")) {
    const [head, tail] = ip.split("::");
    const h = head ? head.split(":") : [];
    const t = tail !== undefined && tail !== "" ? tail.split(":") : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
    if (groups.length !== 8) return undefined;
    let bits = 0n;
    for (const g of groups) bits = (bits << 16n) + BigInt(parseInt(g || "0", 16));
    return { family: 6, bits };
  }
  const parts = ip.split(".").map(Number);
  if (parts.length !== 4 || parts.some((p) => !(p >= 0 && p <= 255))) return undefined;
  return { family: 4, bits: parts.reduce((acc, p) => (acc << 8n) + BigInt(p), 0n) };
}

export function parseCidr(cidr: string): ParsedCidr | undefined {
  const [ip, len] = cidr.split("/");
  const p = parseIp(ip);
  if (!p || len === undefined) return undefined;
  return { ...p, prefix: Number(len) };
}

/** Two CIDRs overlap when one contains the other's network address. */
export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a), y = parseCidr(b);
  if (!x || !y || x.family !== y.family) return false;
  const width = x.family === 4 ? 32 : 128;
  const p = Math.min(x.prefix, y.prefix);
  const shift = BigInt(width - p);
  return (x.bits >> shift) === (y.bits >> shift);
}
