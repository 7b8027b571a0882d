/**
 * Starts a whole simulated cluster in-process: the scenario's objects in a Store, the HTTPS API server,
 * a kubeconfig for its users, and every controller (CNO, MCO, kubelets …) on the scenario's clock.
 */
import { newSimContext } from "./context.ts";
import { simKubeconfig } from "./kubeconfig.ts";
import { buildCluster } from "./scenario/build.ts";
import { loadScenario } from "./scenario/load.ts";
import { type ScenarioInput, ScenarioSpec } from "./scenario/schema.ts";
import type { SimClock } from "./clock.ts";
import type { Store } from "./store.ts";
import type { Controller, SimContext } from "./types.ts";
import { Auth, type SimCredentials } from "./server/auth.ts";
import { FaultInjector } from "./server/faults.ts";
import { RequestLog } from "./server/request_log.ts";
import { readPki, startApiServer } from "./server/server.ts";
import type { SimOpenStack } from "./openstack/mod.ts";

export type { SimOpenStack };

export interface SimOptions {
  /** A built-in scenario name, a scenario file path, or the scenario itself. */
  scenario: string | ScenarioSpec | ScenarioInput;
  /** 0 or absent = an ephemeral port on 127.0.0.1. */
  port?: number;
  /** Simulated seconds per real second. */
  timeScale?: number;
  /** Where to write the kubeconfig; absent = a temporary file removed on stop. */
  kubeconfigPath?: string;
  log?: (component: string, msg: string) => void;
  /** Start the controllers (default true); false = a passive API server over the scenario's objects. */
  controllers?: boolean;
  /** Build the scenario's cluster (default true); false = an empty Store for tests that create their own objects. */
  build?: boolean;
  /** Where to write the simulated OpenStack's clouds.yaml; absent = a temporary file removed on stop. */
  cloudsYamlPath?: string;
}

export interface Sim {
  url: string;
  kubeconfigPath: string;
  kubeconfig: string;
  users: SimCredentials[];
  store: Store;
  clock: SimClock;
  ctx: SimContext;
  requestLog: RequestLog;
  faults: FaultInjector;
  /** The simulated OpenStack (Keystone, Neutron, Octavia, Nova): present iff the scenario has an `openstack` section. */
  openstack?: SimOpenStack;
  stop(): Promise<void>;
}

export async function startSim(opts: SimOptions): Promise<Sim> {
  const scenario = typeof opts.scenario === "string"
    ? await loadScenario(opts.scenario)
    : ScenarioSpec.parse(opts.scenario);
  const ctx = newSimContext(scenario, { timeScale: opts.timeScale, log: opts.log });
  if (opts.build !== false) buildCluster(ctx);

  const auth = new Auth(scenario.users);
  const faults = new FaultInjector(scenario.faults);
  const requestLog = new RequestLog();
  const pki = readPki();
  const server = await startApiServer({
    ctx,
    auth,
    faults,
    requestLog,
    port: opts.port ?? 0,
    pki,
    log: (m) => ctx.log("apiserver", m),
  });

  const users = auth.credentials();
  const kubeconfig = simKubeconfig({
    url: server.url,
    caPem: pki.caPem,
    users: users.map((u) => ({
      name: u.name,
      token: u.token,
      ...(u.clientCertificate ? { clientCertPem: pki.clientCertPem, clientKeyPem: pki.clientKeyPem } : {}),
    })),
  });
  const temp = !opts.kubeconfigPath;
  const kubeconfigPath = opts.kubeconfigPath ??
    await Deno.makeTempFile({ prefix: "sim-kubeconfig-", suffix: ".yaml" });
  await Deno.writeTextFile(kubeconfigPath, kubeconfig, { mode: 0o600 });

  const started: Controller[] = [];
  let openstack: SimOpenStack | undefined;
  try {
    if (scenario.openstack) {
      // Loaded only for scenarios with a cloud: SDN scenarios pay nothing for it.
      const { startOpenStack } = await import("./openstack/mod.ts");
      openstack = await startOpenStack({ ctx, pki, cloudsYamlPath: opts.cloudsYamlPath });
    }
    if (opts.controllers !== false) {
      // Loaded only when wanted: a passive server (tests of the API layer) does not depend on the controllers.
      const { allControllers } = await import("./controllers/index.ts");
      for (const c of allControllers()) {
        c.start(ctx);
        started.push(c);
      }
    }
  } catch (e) {
    for (const c of started.reverse()) c.stop();
    ctx.clock.stop();
    await openstack?.stop();
    await server.close();
    if (!opts.kubeconfigPath) await Deno.remove(kubeconfigPath).catch(() => {});
    throw e;
  }

  let stopped = false;
  return {
    url: server.url,
    kubeconfigPath,
    kubeconfig,
    users,
    store: ctx.store,
    clock: ctx.clock,
    ctx,
    requestLog,
    faults,
    ...(openstack ? { openstack } : {}),
    async stop() {
      if (stopped) return;
      stopped = true;
      for (const c of started.reverse()) c.stop();
      ctx.clock.stop();
      await openstack?.stop();
      await server.close();
      if (temp) await Deno.remove(kubeconfigPath).catch(() => {});
    },
  };
}
