/**
 * Runs the documented commands (kubectl in place of oc) against an in-process simulator: single kubectl
 * calls, bash scripts typed as in the documentation, long-running watches, and helpers that follow
 * what the cluster does while a procedure runs.
 */
import { type Sim, startSim } from "../../../sim/sim.ts";
import type { Obj } from "../../../sim/store.ts";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface ProcedureSim {
  sim: Sim;
  /** kubectl with the simulator's kubeconfig (current context: kube:admin). */
  kubectl(args: string[]): Promise<Run>;
  /** kubectl that must exit 0; returns stdout. */
  ok(args: string[]): Promise<string>;
  /** `kubectl get … -o json`, parsed. */
  getJson(args: string[]): Promise<Obj>;
  /** A bash script where `kubectl` talks to the simulator (pipes, loops, redirections as documented). */
  sh(script: string): Promise<Run>;
  /** A bash script that must exit 0; returns stdout. */
  shOk(script: string): Promise<string>;
  /** A long-running kubectl (e.g. `get -w`): its stdout lines as they arrive, and a way to end it. */
  stream(args: string[]): KubectlStream;
  /** Polls `kubectl get … -o json` until `test` holds (real-time cap); returns the last object. */
  pollJson(what: string, args: string[], test: (o: Obj) => boolean, capMs?: number): Promise<Obj>;
  stop(): Promise<void>;
}

export interface KubectlStream {
  lines: string[];
  /** Resolves once the stream printed its first line (for a watch: the initial state), so no later event is missed. */
  started(capMs?: number): Promise<void>;
  /** Ends the process (if still running) and waits for it; resolves to its exit code. */
  stop(): Promise<number>;
}

const decoder = new TextDecoder();

/** Starts a built-in scenario with every controller and a private kubectl cache/HOME. */
export async function startProcedureSim(scenario: string, timeScale: number): Promise<ProcedureSim> {
  const sim = await startSim({ scenario, timeScale });
  const home = await Deno.makeTempDir({ prefix: "procedures-home-" });
  const env = {
    KUBECONFIG: sim.kubeconfigPath,
    HOME: home,
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    // kubectl 1.29 (matched to the 4.16 server by the dispatcher) speaks exec over WebSocket only when asked.
    KUBECTL_REMOTE_COMMAND_WEBSOCKETS: "true",
  };
  const streams = new Set<KubectlStream>();

  async function run(cmd: string, args: string[]): Promise<Run> {
    const out = await new Deno.Command(cmd, { args, env, clearEnv: true, stdin: "null", cwd: home }).output();
    return { code: out.code, stdout: decoder.decode(out.stdout), stderr: decoder.decode(out.stderr) };
  }
  const must = (what: string, r: Run) => {
    if (r.code !== 0) throw new Error(`${what} failed (${r.code}):\n${r.stdout}\n${r.stderr}`);
    return r.stdout;
  };
  const kubectl = (args: string[]) => run("kubectl", args);
  const ok = async (args: string[]) => must(`kubectl ${args.join(" ")}`, await kubectl(args));
  const getJson = async (args: string[]) => JSON.parse(await ok([...args, "-o", "json"])) as Obj;
  const sh = (script: string) => run("bash", ["-c", `set -o pipefail\n${script}`]);

  return {
    sim,
    kubectl,
    ok,
    getJson,
    sh,
    shOk: async (script) => must(`script:\n${script}\n`, await sh(script)),
    stream(args) {
      const child = new Deno.Command("kubectl", {
        args,
        env,
        clearEnv: true,
        stdin: "null",
        stdout: "piped",
        stderr: "null",
      })
        .spawn();
      const lines: string[] = [];
      const reading = (async () => {
        let rest = "";
        for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
          rest += chunk;
          const parts = rest.split("\n");
          rest = parts.pop()!;
          lines.push(...parts);
        }
        if (rest) lines.push(rest);
      })();
      let ended: Promise<number> | undefined;
      const s: KubectlStream = {
        lines,
        async started(capMs = 120_000) {
          const deadline = Date.now() + capMs;
          while (lines.length === 0 && !ended) {
            if (Date.now() > deadline) throw new Error(`kubectl ${args.join(" ")} printed nothing in ${capMs} ms`);
            await new Promise((r) => setTimeout(r, 50));
          }
        },
        stop() {
          ended ??= (async () => {
            try {
              child.kill("SIGTERM");
            } catch { /* already exited */ }
            const status = await child.status;
            await reading;
            streams.delete(s);
            return status.code;
          })();
          return ended;
        },
      };
      streams.add(s);
      return s;
    },
    async pollJson(what, args, test, capMs = 120_000) {
      const deadline = Date.now() + capMs;
      let last: Obj = {};
      while (Date.now() < deadline) {
        last = await getJson(args);
        if (test(last)) return last;
        await new Promise((r) => setTimeout(r, 150));
      }
      throw new Error(`timed out waiting for ${what}; last:\n${JSON.stringify(last, null, 1).slice(0, 4000)}`);
    },
    async stop() {
      for (const s of [...streams]) await s.stop();
      await sim.stop();
      await Deno.remove(home, { recursive: true }).catch(() => {});
    },
  };
}

/** A condition of an object's status.conditions by type. */
export const cond = (o: Obj, type: string): Obj | undefined =>
  (o.status?.conditions as Obj[] | undefined)?.find((c) => c.type === type);

/** Distinct values per object name, recorded from the Store as they change (e.g. each MCP's rendered config). */
export function recordDistinct(sim: Sim, key: string, pick: (o: Obj) => string | undefined) {
  const seen = new Map<string, string[]>();
  const note = (o: Obj) => {
    const v = pick(o);
    if (!v) return;
    const list = seen.get(o.metadata.name) ?? [];
    if (!list.includes(v)) list.push(v);
    seen.set(o.metadata.name, list);
  };
  for (const o of sim.store.all(key)) note(o);
  const unsubscribe = sim.store.subscribe((e) => {
    if (e.key === key && e.type !== "DELETED") note(e.object);
  });
  return { seen, stop: unsubscribe };
}
