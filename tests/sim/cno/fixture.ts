/**
 * Test fixture for the simulated CNO: a Store seeded like a 4.16 SDN cluster, plus stand-ins for the MCO
 * (renders configs from network.config status only, cluster-behaviour.md §0, and rolls pools) and the
 * workloads controller (DaemonSet/Deployment status), so the CNO is tested through the Store alone.
 */
import { newSimContext } from "../../../sim/context.ts";
import { type ScenarioInput, ScenarioSpec } from "../../../sim/scenario/schema.ts";
import type { Obj } from "../../../sim/store.ts";
import type { SimContext } from "../../../sim/types.ts";
import { K, MIGRATION_ANNOTATION } from "../../../sim/controllers/cno/names.ts";
import { NetworkOperatorController } from "../../../sim/controllers/cno/operator.ts";
import { ClusterOperatorsController } from "../../../sim/controllers/operators/index.ts";
import { PrometheusController } from "../../../sim/controllers/monitoring/index.ts";
import { findCondition } from "../../../sim/controllers/cno/util.ts";

export { K, MIGRATION_ANNOTATION };

export interface FixtureOptions {
  timeScale?: number;
  /** Seed the network as OVN (an already migrated cluster). */
  ovn?: boolean;
  /** Extra objects: [resourceKey, object]. */
  objects?: [string, Obj][];
  /** Keep the fake MCO's pools from finishing a rollout. */
  holdPools?: boolean;
}

export interface Fixture {
  ctx: SimContext;
  mco: FakeMco;
  stop(): void;
}

export function newFixture(input: Partial<ScenarioInput> = {}, opts: FixtureOptions = {}): Fixture {
  const scenario = ScenarioSpec.parse({ name: "cno-test", ...input });
  const ctx = newSimContext(scenario, { timeScale: opts.timeScale ?? 1000 });
  seed(ctx, opts);
  const mco = new FakeMco(ctx, opts.holdPools ?? false);
  const workloads = new FakeWorkloads(ctx);
  const controllers = [new NetworkOperatorController(), new ClusterOperatorsController(), new PrometheusController()];
  mco.start();
  workloads.start();
  for (const c of controllers) c.start(ctx);
  return {
    ctx,
    mco,
    stop() {
      for (const c of controllers) c.stop();
      mco.stop();
      workloads.stop();
      ctx.clock.stop();
    },
  };
}

function seed(ctx: SimContext, opts: FixtureOptions): void {
  const { store, scenario } = ctx;
  const net = scenario.network;
  const type = opts.ovn ? "OVNKubernetes" : net.type;
  for (
    const ns of ["openshift-network-operator", "openshift-monitoring", "openshift-machine-config-operator", "default"]
  ) {
    store.create(K.namespace, { metadata: { name: ns } });
  }
  store.create(K.infrastructure, {
    metadata: { name: "cluster" },
    spec: { platformSpec: { type: scenario.platform } },
    status: {
      platform: scenario.platform,
      platformStatus: { type: scenario.platform },
      controlPlaneTopology: scenario.controlPlaneTopology,
      infrastructureTopology: "HighlyAvailable",
      infrastructureName: scenario.infrastructureName,
    },
  });
  store.create(K.clusterVersion, { metadata: { name: "version" }, spec: { clusterID: "c1", channel: "stable-4.16" } });
  const mtu = type === "OVNKubernetes" ? (net.hardwareMTU ?? 1500) - 100 : (net.hardwareMTU ?? 1500) - 50;
  store.create(K.networkConfig, {
    metadata: { name: "cluster" },
    spec: { clusterNetwork: net.clusterNetwork, serviceNetwork: net.serviceNetwork, networkType: type },
    status: {
      clusterNetwork: net.clusterNetwork,
      serviceNetwork: net.serviceNetwork,
      networkType: type,
      clusterNetworkMTU: mtu,
    },
  });
  store.create(K.networkOperator, {
    metadata: { name: "cluster" },
    spec: {
      managementState: "Managed",
      clusterNetwork: net.clusterNetwork,
      serviceNetwork: net.serviceNetwork,
      defaultNetwork: type === "OVNKubernetes"
        ? { type, ovnKubernetesConfig: { mtu, genevePort: 6081, ...(net.ovnKubernetesConfig ?? {}) } }
        : type === "Kuryr"
        ? { type, kuryrConfig: { mtu: net.hardwareMTU ?? 1500 } }
        : {
          type,
          openshiftSDNConfig: { mode: net.sdnMode, vxlanPort: net.vxlanPort, mtu },
          ...(net.ovnKubernetesConfig ? { ovnKubernetesConfig: net.ovnKubernetesConfig } : {}),
        },
    },
  });
  if (net.hardwareMTU !== null) {
    store.create(K.configMap, {
      metadata: { name: "mtu", namespace: "openshift-network-operator" },
      data: { mtu: String(net.hardwareMTU) },
    });
  }
  for (const pool of scenario.pools) {
    for (let i = 0; i < pool.nodes; i++) {
      store.create(K.node, {
        metadata: {
          name: `${pool.name}-${i}`,
          labels: { [`node-role.kubernetes.io/${pool.role ?? pool.name}`]: "", "kubernetes.io/os": "linux" },
        },
        status: { conditions: [{ type: "Ready", status: "True" }] },
      });
    }
    store.create(K.mcp, {
      metadata: { name: pool.name },
      spec: {
        paused: pool.paused,
        nodeSelector: { matchLabels: { [`node-role.kubernetes.io/${pool.role ?? pool.name}`]: "" } },
      },
    });
  }
  for (const name of ["network", "machine-config", "dns", "kube-apiserver"]) {
    store.create(K.clusterOperator, { metadata: { name }, spec: {} });
  }
  if (!scenario.faults.prometheusMissing) {
    for (const i of [0, 1]) {
      store.create(K.pod, {
        metadata: { name: `prometheus-k8s-${i}`, namespace: "openshift-monitoring" },
        spec: { containers: [{ name: "prometheus" }, { name: "config-reloader" }] },
        status: { phase: "Running" },
      });
    }
  }
  for (const [key, obj] of opts.objects ?? []) {
    const ns = obj.metadata?.namespace;
    if (ns && !store.get(K.namespace, undefined, ns)) store.create(K.namespace, { metadata: { name: ns } });
    store.create(key, obj);
  }
}

/** The rendered units the real MCO templates produce (cluster-behaviour.md §0, ControllerConfig selection). */
export function renderUnits(status: Obj): Obj[] {
  let type = status.networkType;
  let mtuMigration: Obj | undefined;
  if (status.migration) {
    type = status.migration.networkType ?? type;
    mtuMigration = status.migration.mtu;
  }
  const units: Obj[] = [{
    name: "ovs-configuration.service",
    enabled: type === "OVNKubernetes" || type === "OpenShiftSDN",
    contents: `[Service]\nExecStart=/usr/local/bin/configure-ovs.sh ${type}\n`,
  }];
  if (mtuMigration) {
    units.push({
      name: "mtu-migration.service",
      enabled: true,
      contents: `[Service]\nEnvironment=TARGET_MTU=${mtuMigration.machine?.to}\n`,
    });
  }
  return units;
}

function hash(s: string): string {
  let h = 5381;
  for (let i = 0; i < s.length; i++) h = (h * 33 + s.charCodeAt(i)) >>> 0;
  return h.toString(16).padStart(32, "0");
}

/** Stand-in MCO: one rollout per pool whenever the rendered units change. */
export class FakeMco {
  /** Rollouts started per pool. */
  readonly rollouts = new Map<string, number>();
  #unsub?: () => void;
  #rendered = "";
  constructor(readonly ctx: SimContext, readonly hold: boolean) {}

  start(): void {
    this.#render(true);
    this.#unsub = this.ctx.store.subscribe((e) => {
      if (e.key === K.networkConfig) this.ctx.clock.after(1000, () => this.#render(false));
    });
  }

  stop(): void {
    this.#unsub?.();
  }

  #render(initial: boolean): void {
    const { store, clock } = this.ctx;
    const nc = store.get(K.networkConfig, undefined, "cluster");
    if (!nc) return;
    const units = renderUnits(nc.status ?? {});
    const text = JSON.stringify(units);
    if (text === this.#rendered) return;
    this.#rendered = text;
    for (const pool of store.all(K.mcp)) {
      const name = `rendered-${pool.metadata.name}-${hash(pool.metadata.name + text)}`;
      if (!store.get(K.machineConfig, undefined, name)) {
        store.create(K.machineConfig, {
          metadata: { name, labels: { "machineconfiguration.openshift.io/role": pool.metadata.name } },
          spec: { config: { ignition: { version: "3.4.0" }, systemd: { units } } },
        });
      }
      store.mutate(K.mcp, undefined, pool.metadata.name, (o) => {
        o.spec.configuration = { name };
      });
      if (initial) {
        this.#setPool(pool.metadata.name, name, false);
        continue;
      }
      this.rollouts.set(pool.metadata.name, (this.rollouts.get(pool.metadata.name) ?? 0) + 1);
      clock.after(3000, () => this.#setPool(pool.metadata.name, undefined, true));
      if (!this.hold && !pool.spec.paused) {
        clock.after(60_000, () => {
          if (store.get(K.mcp, undefined, pool.metadata.name)?.spec.configuration.name === name) {
            this.#setPool(pool.metadata.name, name, false);
          }
        });
      }
    }
  }

  #setPool(pool: string, config: string | undefined, updating: boolean): void {
    const { store, clock } = this.ctx;
    const cur = store.get(K.mcp, undefined, pool)!;
    const now = clock.iso();
    const conds = [
      { type: "Updated", status: updating ? "False" : "True", lastTransitionTime: now, reason: "", message: "" },
      { type: "Updating", status: updating ? "True" : "False", lastTransitionTime: now, reason: "", message: "" },
      {
        type: "Degraded",
        status: findCondition(cur.status?.conditions, "Degraded")?.status ?? "False",
        lastTransitionTime: now,
        reason: "",
        message: "",
      },
    ];
    store.update(K.mcp, {
      ...cur,
      status: {
        ...(cur.status ?? {}),
        conditions: conds,
        ...(config ? { configuration: { name: config } } : {}),
      },
    }, { subresource: "status" });
  }

  /** Marks a pool Degraded (or healthy again). */
  degrade(pool: string, degraded: boolean): void {
    const { store } = this.ctx;
    const cur = store.get(K.mcp, undefined, pool)!;
    const conds = (cur.status?.conditions ?? []).map((c: Obj) =>
      c.type === "Degraded" ? { ...c, status: degraded ? "True" : "False" } : c
    );
    store.update(K.mcp, { ...cur, status: { ...cur.status, conditions: conds } }, { subresource: "status" });
  }
}

/** Stand-in workloads controller: DaemonSets and Deployments become ready a few seconds after each change. */
class FakeWorkloads {
  #unsub?: () => void;
  constructor(readonly ctx: SimContext) {}

  start(): void {
    this.#unsub = this.ctx.store.subscribe((e) => {
      if ((e.key === K.daemonSet || e.key === K.deployment) && e.type !== "DELETED") {
        const o = e.object;
        if (o.status?.observedGeneration === o.metadata.generation) return;
        this.ctx.clock.after(2000, () => this.#ready(e.key, o.metadata.namespace, o.metadata.name));
      }
    });
  }

  stop(): void {
    this.#unsub?.();
  }

  #ready(key: string, ns: string, name: string): void {
    const { store } = this.ctx;
    const o = store.get(key, ns, name);
    if (!o) return;
    const sel: Record<string, string> = o.spec.template?.spec?.nodeSelector ?? {};
    const n = store.all(K.node).filter((x) => Object.entries(sel).every(([k, v]) => x.metadata.labels?.[k] === v))
      .length;
    const status = key === K.daemonSet
      ? {
        observedGeneration: o.metadata.generation,
        desiredNumberScheduled: n,
        currentNumberScheduled: n,
        numberReady: n,
        updatedNumberScheduled: n,
        numberAvailable: n,
      }
      : {
        observedGeneration: o.metadata.generation,
        replicas: o.spec.replicas,
        updatedReplicas: o.spec.replicas,
        readyReplicas: o.spec.replicas,
        availableReplicas: o.spec.replicas,
      };
    store.update(key, { ...o, status }, { subresource: "status" });
  }
}

/** Polls `fn` on the real clock until it returns a truthy value (a cap only guards against hangs). */
export async function waitFor<T>(what: string, fn: () => T | undefined | false, capMs = 120_000): Promise<T> {
  const start = Date.now();
  while (true) {
    const v = fn();
    if (v) return v;
    if (Date.now() - start > capMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const networkConfig = (ctx: SimContext) => ctx.store.mustGet(K.networkConfig, undefined, "cluster");
export const networkOperator = (ctx: SimContext) => ctx.store.mustGet(K.networkOperator, undefined, "cluster");
export const condition = (o: Obj, type: string) => findCondition(o.status?.conditions, type);

/** The CNO's Degraded condition on clusteroperator/network. */
export function coNetwork(ctx: SimContext, type: string) {
  return condition(ctx.store.mustGet(K.clusterOperator, undefined, "network"), type);
}

/** Records every distinct network.config live-migration condition state, in order (a watcher's view). */
export function recordConditions(ctx: SimContext): { timeline: string[]; stop(): void } {
  const timeline: string[] = [];
  const unsub = ctx.store.subscribe((e) => {
    if (e.key !== K.networkConfig) return;
    const conds: Obj[] = e.object.status?.conditions ?? [];
    if (!conds.length) return;
    const line = conds.map((c) => `${c.type.replace("NetworkTypeMigration", "")}=${c.status}/${c.reason}`).join(" ");
    if (timeline[timeline.length - 1] !== line) timeline.push(line);
  });
  return { timeline, stop: unsub };
}
