/**
 * The simulated cluster's metric registry: gauges the simulated operators set (cluster-behaviour.md §3)
 * and that the simulated Prometheus answers queries from.
 */

export interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const labelKey = (labels: Record<string, string>) =>
  Object.keys(labels).sort().map((k) => `${k}=${labels[k]}`).join(",");

export class SimMetrics {
  readonly #series = new Map<string, Map<string, Series>>();
  readonly #help = new Map<string, string>();

  /** Declares a metric (HELP text); series appear only once set. */
  describe(name: string, help: string): void {
    this.#help.set(name, help);
  }

  set(name: string, labels: Record<string, string>, value: number): void {
    let m = this.#series.get(name);
    if (!m) this.#series.set(name, m = new Map());
    m.set(labelKey(labels), { name, labels: { ...labels }, value });
  }

  /** Drops every series of a metric, like a GaugeVec's Reset(). */
  reset(name: string): void {
    this.#series.get(name)?.clear();
  }

  series(name: string): Series[] {
    return [...(this.#series.get(name)?.values() ?? [])];
  }

  /** Prometheus text exposition format (what `/metrics` serves). */
  text(): string {
    const out: string[] = [];
    for (const [name, m] of this.#series) {
      const help = this.#help.get(name);
      if (help) out.push(`# HELP ${name} [ALPHA] ${help}`);
      out.push(`# TYPE ${name} gauge`);
      for (const s of m.values()) {
        const l = Object.entries(s.labels).map(([k, v]) =>
          `${k}="${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`
        );
        out.push(`${name}${l.length ? `{${l.join(",")}}` : ""} ${s.value}`);
      }
    }
    return out.join("\n") + "\n";
  }
}
