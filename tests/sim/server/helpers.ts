/** Shared fixtures for the API server tests: an in-process simulator with a small cluster, kubectl, fetch. */
import { type Sim, startSim } from "../../../sim/sim.ts";
import type { ScenarioInput } from "../../../sim/scenario/schema.ts";
import type { Controller } from "../../../sim/types.ts";
import { coreControllers } from "../../../sim/controllers/core/index.ts";
import type { Obj } from "../../../sim/store.ts";

export const ALICE_TOKEN = "alice-token-0123456789";

/** kube:admin (token), system:admin (client certificate), alice (get/list pods in "default" only). */
export const testScenario = (extra: Partial<ScenarioInput> = {}): ScenarioInput => ({
  name: "server-test",
  users: [
    { name: "kube:admin", groups: ["system:authenticated"], clusterAdmin: true },
    { name: "system:admin", groups: ["system:masters"], clientCertificate: true },
    {
      name: "alice",
      token: ALICE_TOKEN,
      rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"], namespaces: ["default"] }],
    },
  ],
  ...extra,
});

export interface TestSim extends Sim {
  cacheDir: string;
  stopAll(): Promise<void>;
}

/**
 * A passive simulator (no scenario builder, no CNO/MCO) with namespaces default, kube-system and app and a
 * few pods; `core: true` also runs the core controllers (namespace lifecycle, GC).
 */
export async function startTestSim(opts: { core?: boolean; scenario?: Partial<ScenarioInput> } = {}): Promise<TestSim> {
  const sim = await startSim({ scenario: testScenario(opts.scenario), build: false, controllers: false });
  for (const ns of ["default", "kube-system", "app"]) sim.store.create("core/namespaces", { metadata: { name: ns } });
  for (const [ns, name, app] of [["default", "web-1", "web"], ["default", "web-2", "web"], ["default", "db-1", "db"]]) {
    sim.store.create("core/pods", pod(ns, name, { app }));
  }
  const controllers: Controller[] = opts.core ? coreControllers() : [];
  for (const c of controllers) c.start(sim.ctx);
  const cacheDir = await Deno.makeTempDir({ prefix: "kubectl-cache-" });
  return {
    ...sim,
    cacheDir,
    async stopAll() {
      for (const c of controllers) c.stop();
      await sim.stop();
      await Deno.remove(cacheDir, { recursive: true }).catch(() => {});
    },
  };
}

export function pod(namespace: string, name: string, labels: Record<string, string> = {}, nodeName = "worker-0"): Obj {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace, labels },
    spec: {
      nodeName,
      containers: [{ name: "main", image: "registry.example/app:1", env: [{ name: "A", value: "1" }] }],
    },
    status: { phase: "Running" },
  };
}

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real kubectl against the simulator (context: "kube-admin", "system-admin" or "alice"). */
export async function kubectl(
  sim: TestSim,
  args: string[],
  opts: { context?: string; stdin?: string } = {},
): Promise<Run> {
  const cmd = new Deno.Command("kubectl", {
    args: [
      `--kubeconfig=${sim.kubeconfigPath}`,
      `--cache-dir=${sim.cacheDir}`,
      ...(opts.context ? [`--context=${opts.context}`] : []),
      ...args,
    ],
    stdin: opts.stdin !== undefined ? "piped" : "null",
    stdout: "piped",
    stderr: "piped",
    // kubectl 1.29 (matched to the 4.16 server by the dispatcher) speaks exec over WebSocket only when asked.
    env: { KUBECONFIG: "", HOME: sim.cacheDir, KUBECTL_REMOTE_COMMAND_WEBSOCKETS: "true" },
  });
  const child = cmd.spawn();
  if (opts.stdin !== undefined) {
    const w = child.stdin.getWriter();
    await w.write(new TextEncoder().encode(opts.stdin));
    await w.close();
  }
  const out = await child.output();
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
}

/** kubectl that must succeed; returns stdout. */
export async function kubectlOk(sim: TestSim, args: string[], opts: { context?: string; stdin?: string } = {}) {
  const r = await kubectl(sim, args, opts);
  if (r.code !== 0) throw new Error(`kubectl ${args.join(" ")} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

/** The token of a scenario user (from the simulator's credentials). */
export function tokenOf(sim: Sim, user = "kube:admin"): string {
  const t = sim.users.find((u) => u.name === user)?.token;
  if (!t) throw new Error(`no token for ${user}`);
  return t;
}

/** fetch against the simulator with its CA; the HTTP client is closed after the response body is read. */
export async function api(
  sim: Sim,
  path: string,
  init: RequestInit & { token?: string | null } = {},
): Promise<{ status: number; headers: Headers; body: Obj; text: string }> {
  const ca = await Deno.readTextFile(new URL("../../../sim/certs/ca.crt", import.meta.url));
  const client = Deno.createHttpClient({ caCerts: [ca] });
  try {
    const headers = new Headers(init.headers);
    const token = init.token === undefined ? tokenOf(sim) : init.token;
    if (token) headers.set("Authorization", `Bearer ${token}`);
    const res = await fetch(sim.url + path, { ...init, headers, client });
    const text = await res.text();
    let body: Obj = {};
    try {
      body = JSON.parse(text);
    } catch {
      body = {};
    }
    return { status: res.status, headers: res.headers, body, text };
  } finally {
    client.close();
  }
}
