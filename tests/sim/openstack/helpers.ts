/** Shared helpers for the simulated-OpenStack tests: a started Kuryr simulator, fetch with tokens, the real CLI. */
import type { Sim, SimOpenStack } from "../../../sim/sim.ts";
import { startSim } from "../../../sim/sim.ts";
import type { ScenarioInput } from "../../../sim/scenario/schema.ts";
import { loadScenario } from "../../../sim/scenario/load.ts";
import type { Rec } from "../../../sim/openstack/cloud.ts";

export type { Rec };

/** Starts a Kuryr scenario; `patch` changes the loaded scenario before it starts (faults, openstack knobs). */
export async function startKuryr(
  name = "kuryr-4.14",
  opts: { timeScale?: number; controllers?: boolean; patch?: (s: ScenarioInput) => void } = {},
): Promise<Sim & { openstack: SimOpenStack }> {
  const s = structuredClone(await loadScenario(name)) as ScenarioInput;
  opts.patch?.(s);
  const sim = await startSim({ scenario: s, timeScale: opts.timeScale ?? 100, controllers: opts.controllers ?? false });
  if (!sim.openstack) throw new Error(`${name} has no OpenStack side`);
  return sim as Sim & { openstack: SimOpenStack };
}

export interface OsResponse {
  status: number;
  headers: Headers;
  // deno-lint-ignore no-explicit-any
  body: any;
}

/** One request to the simulated OpenStack (path from the server root, e.g. `/network/v2.0/networks`). */
export async function os(
  sim: { openstack: SimOpenStack },
  path: string,
  init: { method?: string; token?: string | null; body?: unknown; headers?: Record<string, string> } = {},
): Promise<OsResponse> {
  const client = Deno.createHttpClient({ caCerts: [await Deno.readTextFile(sim.openstack.caFile)] });
  try {
    const headers = new Headers(init.headers);
    if (init.token) headers.set("X-Auth-Token", init.token);
    if (init.body !== undefined) headers.set("Content-Type", "application/json");
    const res = await fetch(sim.openstack.origin + path, {
      method: init.method ?? "GET",
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
      client,
    });
    const text = await res.text();
    let body: unknown = undefined;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      body = text;
    }
    return { status: res.status, headers: res.headers, body };
  } finally {
    client.close();
  }
}

/** A project-scoped token for the scenario's admin user (or `member`). */
export async function tokenFor(sim: { openstack: SimOpenStack }, who: "admin" | "member" = "admin"): Promise<string> {
  const c = sim.openstack.credentials;
  const r = await os(sim, "/identity/v3/auth/tokens", {
    method: "POST",
    body: {
      auth: {
        identity: {
          methods: ["password"],
          password: {
            user: {
              name: who === "admin" ? c.username : `${c.username}-member`,
              domain: { name: "Default" },
              password: who === "admin" ? c.password : sim.openstack.memberPassword,
            },
          },
        },
        scope: { project: { name: c.projectName, domain: { name: "Default" } } },
      },
    },
  });
  if (r.status !== 201) throw new Error(`auth failed: ${r.status} ${JSON.stringify(r.body)}`);
  return r.headers.get("X-Subject-Token")!;
}

const INSTALL_HINT = "the openstack CLI is not installed: run scripts/install-openstack-cli.sh";

/** The `openstack` executable, or a failure that names the install script. */
export function openstackCli(): string {
  const path = (Deno.env.get("PATH") ?? "").split(":").map((d) => `${d}/openstack`).find((p) => {
    try {
      return Deno.statSync(p).isFile;
    } catch {
      return false;
    }
  });
  if (!path) throw new Error(INSTALL_HINT);
  return path;
}

/** The interpreter the `openstack` script runs under (it has openstacksdk; `python3` on PATH may not). */
export function cliPython(): string {
  const first = Deno.readTextFileSync(openstackCli()).split("\n", 1)[0];
  const interp = first.replace(/^#!\s*/, "").split(" ")[0];
  return interp.endsWith("env") ? "/usr/bin/python3" : interp;
}

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the openstack CLI against the simulator's clouds.yaml and cloud. */
export async function cli(sim: { openstack: SimOpenStack }, args: string[], cloud?: string): Promise<RunResult> {
  const out = await new Deno.Command(openstackCli(), {
    args,
    env: cliEnv(sim, cloud),
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: out.code, stdout: new TextDecoder().decode(out.stdout), stderr: new TextDecoder().decode(out.stderr) };
}

/** Environment for the CLI and openstacksdk: the simulator's clouds.yaml and cloud, nothing from the user's. */
export function cliEnv(sim: { openstack: SimOpenStack }, cloud?: string): Record<string, string> {
  return {
    PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin",
    HOME: Deno.env.get("HOME") ?? "/tmp",
    OS_CLIENT_CONFIG_FILE: sim.openstack.cloudsYamlPath,
    OS_CLOUD: cloud ?? sim.openstack.cloudName,
    PYTHONWARNINGS: "ignore",
  };
}

/** All resources of a Neutron collection in the cluster's region, as stored. */
export function stored(sim: { openstack: SimOpenStack }, collection: string): Rec[] {
  const r = sim.openstack.cloud.main;
  // deno-lint-ignore no-explicit-any
  const m = (r.neutron.get(collection as any) ?? r.octavia.get(collection as any)) as Map<string, Rec> | undefined;
  if (!m) throw new Error(`no collection ${collection}`);
  return [...m.values()];
}

/** Waits (real time, bounded) until `cond` holds. */
export async function until(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
