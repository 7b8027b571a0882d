/**
 * API-level fault injection (issue 3 item 5): a seeded PRNG decides which requests fail, so a test that
 * sends the same requests in the same order sees the same failures. Discovery and the simulator's own
 * admin path are never touched: clients cannot recover from a broken discovery and tests need /_sim/.
 */
import type { ScenarioSpec } from "../scenario/schema.ts";

type Faults = ScenarioSpec["faults"];

/** mulberry32: a tiny, fast, well-distributed 32-bit PRNG returning numbers in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Paths a fault must never hit: discovery, OpenAPI, version, health, and the simulator's admin API. */
export function isExemptPath(path: string): boolean {
  const p = path.split("?", 1)[0].replace(/\/+$/, "") || "/";
  if (p === "/" || p === "/api" || p === "/api/v1" || p === "/apis") return true;
  if (/^\/apis\/[^/]+(\/[^/]+)?$/.test(p)) return true;
  return /^\/(version|openapi|healthz|livez|readyz|_sim)(\/|$)/.test(p);
}

export class FaultInjector {
  #faults: Faults;
  readonly #random: () => number;

  constructor(faults: Faults, seed = 0x5eed) {
    this.#faults = { ...faults };
    this.#random = mulberry32(seed);
  }

  /** An injected error for this request, or undefined. 429 carries retryAfterSeconds. */
  maybeFail(verb: string, path: string): { code: number; retryAfterSeconds?: number } | undefined {
    const f = this.#faults;
    if (f.apiErrorRate <= 0 || f.apiErrorCodes.length === 0) return undefined;
    if (f.apiErrorVerbs && !f.apiErrorVerbs.includes(verb)) return undefined;
    if (isExemptPath(path)) return undefined;
    if (this.#random() >= f.apiErrorRate) return undefined;
    const code = f.apiErrorCodes[Math.floor(this.#random() * f.apiErrorCodes.length)];
    return code === 429 ? { code, retryAfterSeconds: f.retryAfterSeconds } : { code };
  }

  /** Extra latency for every API request (slowResponseMs). */
  delayMs(): number {
    return Math.max(0, this.#faults.slowResponseMs);
  }

  /** How long a watch may stay open before the server drops it; undefined = forever. */
  watchLifetimeMs(): number | undefined {
    const s = this.#faults.dropWatchesAfterSeconds;
    return s === undefined || s <= 0 ? undefined : s * 1000;
  }

  /** Changes faults at run time; fields not given keep their values. */
  set(faults: Partial<Faults>): void {
    this.#faults = { ...this.#faults, ...faults };
  }

  /** The faults in force (a copy). */
  current(): Faults {
    return { ...this.#faults };
  }
}
