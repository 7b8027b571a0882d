/**
 * The simulated cloud's faults, from the scenario's `openstack.faults` and changeable at run time
 * (`sim.openstack.faults.set({...})` or `PUT /_sim/faults` on the OpenStack server). Injected errors come from
 * a seeded PRNG, so the same requests in the same order see the same failures.
 */
import { mulberry32 } from "../server/faults.ts";
import type { OpenStackFaultSpec } from "../scenario/schema.ts";

export type { OpenStackFaultSpec };

/** Faults without a default (absent = off). */
const OPTIONAL = ["errorServices", "errorMethods"];

export class OpenStackFaults {
  #f: OpenStackFaultSpec;
  readonly #random: () => number;
  readonly #listeners: ((now: OpenStackFaultSpec, before: OpenStackFaultSpec) => void)[] = [];

  constructor(initial: OpenStackFaultSpec, seed = 0x05eed) {
    this.#f = structuredClone(initial);
    this.#random = mulberry32(seed);
  }

  /** The faults in force (a copy). */
  current(): OpenStackFaultSpec {
    return structuredClone(this.#f);
  }

  /** Changes some faults; the others keep their values. Unknown fields are refused. */
  set(patch: Partial<OpenStackFaultSpec>): OpenStackFaultSpec {
    const before = this.#f;
    const known = new Set([...Object.keys(before), ...OPTIONAL]);
    for (const k of Object.keys(patch)) {
      if (!known.has(k)) throw new Error(`unknown OpenStack fault "${k}" (known: ${[...known].join(", ")})`);
    }
    const next: Record<string, unknown> = { ...before, ...structuredClone(patch) };
    for (const k of OPTIONAL) if (next[k] === undefined) delete next[k];
    this.#f = next as OpenStackFaultSpec;
    for (const l of this.#listeners) l(this.#f, before);
    return this.current();
  }

  /** Called after every change (the cloud applies `nodesWithoutServer`). */
  onChange(fn: (now: OpenStackFaultSpec, before: OpenStackFaultSpec) => void): void {
    this.#listeners.push(fn);
  }

  get value(): Readonly<OpenStackFaultSpec> {
    return this.#f;
  }

  /** An injected error for this request, or undefined. */
  maybeFail(service: string, method: string): { status: number; retryAfterSeconds: number } | undefined {
    const f = this.#f;
    if (f.errorRate <= 0 || f.errorCodes.length === 0) return undefined;
    if (f.errorServices && !f.errorServices.includes(service)) return undefined;
    if (f.errorMethods && !f.errorMethods.includes(method)) return undefined;
    if (this.#random() >= f.errorRate) return undefined;
    return {
      status: f.errorCodes[Math.floor(this.#random() * f.errorCodes.length)],
      retryAfterSeconds: f.retryAfterSeconds,
    };
  }
}
