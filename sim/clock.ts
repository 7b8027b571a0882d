/**
 * Simulated time. Controllers think in cluster seconds (a node reboot takes 90 s); the clock runs them
 * `scale` times faster than wall time so a whole migration fits in a test.
 */
/** A pending timer; pass it to `cancel`. */
export type TimerId = ReturnType<typeof setTimeout>;

export class SimClock {
  readonly scale: number;
  readonly #realStart = Date.now();
  readonly #timers = new Set<TimerId>();
  #stopped = false;

  constructor(scale = 1) {
    if (!(scale > 0)) throw new Error(`time scale must be > 0, got ${scale}`);
    this.scale = scale;
  }

  /** Simulated epoch milliseconds. */
  now(): number {
    return this.#realStart + (Date.now() - this.#realStart) * this.scale;
  }

  /** Simulated time as an RFC 3339 string, as the API server writes timestamps. */
  iso(): string {
    return new Date(this.now()).toISOString().replace(/\.\d{3}Z$/, "Z");
  }

  /** Runs `fn` after `simMs` simulated milliseconds. Returns a handle for `cancel`. */
  after(simMs: number, fn: () => void): TimerId | undefined {
    if (this.#stopped) return undefined;
    const id = setTimeout(() => {
      this.#timers.delete(id);
      if (!this.#stopped) fn();
    }, Math.max(0, simMs / this.scale));
    this.#timers.add(id);
    return id;
  }

  /** Runs `fn` every `simMs` simulated milliseconds until cancelled or the clock stops. */
  every(simMs: number, fn: () => void): TimerId | undefined {
    if (this.#stopped) return undefined;
    const id = setInterval(() => {
      if (!this.#stopped) fn();
    }, Math.max(1, simMs / this.scale));
    this.#timers.add(id);
    return id;
  }

  cancel(id: TimerId | undefined): void {
    if (id === undefined) return;
    clearTimeout(id);
    clearInterval(id);
    this.#timers.delete(id);
  }

  sleep(simMs: number): Promise<void> {
    return new Promise((resolve) => this.after(simMs, resolve));
  }

  /** Real milliseconds that correspond to `simMs` simulated ones. */
  toReal(simMs: number): number {
    return simMs / this.scale;
  }

  /** Cancels every pending timer; nothing scheduled runs afterwards. */
  stop(): void {
    this.#stopped = true;
    for (const id of this.#timers) {
      clearTimeout(id);
      clearInterval(id);
    }
    this.#timers.clear();
  }
}
