/** A fresh simulated cluster context: a Store with every resource registered, a clock, metrics, exec. */
import { SimClock } from "./clock.ts";
import { SimMetrics } from "./metrics.ts";
import { simResourceDefs } from "./resources.ts";
import type { ScenarioSpec } from "./scenario/schema.ts";
import { Store } from "./store.ts";
import { ExecRegistry, type SimContext } from "./types.ts";

export interface SimContextOptions {
  /** Simulated seconds per real second (default 1). */
  timeScale?: number;
  log?: (component: string, message: string) => void;
}

export function newSimContext(scenario: ScenarioSpec, opts: SimContextOptions = {}): SimContext {
  const clock = new SimClock(opts.timeScale ?? 1);
  const store = new Store(clock, simResourceDefs({ openshift: scenario.openshift }));
  return {
    store,
    clock,
    metrics: new SimMetrics(),
    exec: new ExecRegistry(),
    scenario,
    log: opts.log ?? (() => {}),
  };
}
