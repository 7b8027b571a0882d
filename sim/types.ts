/** Contracts shared by the simulated API server, its controllers and the scenario builder. */
import type { SimClock } from "./clock.ts";
import type { SimMetrics } from "./metrics.ts";
import type { ScenarioSpec } from "./scenario/schema.ts";
import type { Obj, Store } from "./store.ts";

/** A command run in a container through `pods/exec`. */
export interface ExecRequest {
  namespace: string;
  /** The pod object as stored. */
  pod: Obj;
  container: string;
  command: string[];
  /** Everything the client wrote to stdin (empty when stdin was not requested). */
  stdin: Uint8Array;
  tty: boolean;
  /** The authenticated user making the request. */
  user: string;
}

/** What the command printed and how it ended; the server sends it over the exec channels. */
export interface ExecResult {
  stdout?: string;
  stderr?: string;
  exitCode: number;
}

/** Handles exec requests it recognises; returns undefined to let the next handler try. */
export type ExecHandler = (req: ExecRequest) => Promise<ExecResult | undefined> | ExecResult | undefined;

/** Ordered exec handlers; a request no handler takes exits 127 ("command not found"). */
export class ExecRegistry {
  readonly #handlers: ExecHandler[] = [];

  register(h: ExecHandler): void {
    this.#handlers.push(h);
  }

  async run(req: ExecRequest): Promise<ExecResult> {
    for (const h of this.#handlers) {
      const r = await h(req);
      if (r) return r;
    }
    return {
      stderr: `sh: ${req.command[0] ?? ""}: command not found\n`,
      exitCode: 127,
    };
  }
}

/** One simulated component (CNO, MCO, kubelets …). */
export interface Controller {
  readonly name: string;
  start(ctx: SimContext): void;
  stop(): void;
}

/** Everything a controller or handler may use. */
export interface SimContext {
  store: Store;
  clock: SimClock;
  metrics: SimMetrics;
  exec: ExecRegistry;
  scenario: ScenarioSpec;
  /** Debug log (silent unless the simulator runs with logging on). */
  log(component: string, message: string): void;
}
