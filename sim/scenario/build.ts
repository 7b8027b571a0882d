/**
 * Creates a scenario's initial cluster in the Store: namespaces, nodes, the cluster configuration objects
 * (cluster-behaviour.md §4), SDN objects, pools, a few platform workloads, generated bulk objects and the
 * scenario's own objects. Objects that controllers own (rendered MachineConfigs, pool and operator status,
 * CNO-rendered DaemonSets, DaemonSet pods, node MCO annotations) are left to the controllers.
 *
 * A scenario object that names an object the builder creates anyway (a NetNamespace, a HostSubnet, a
 * Namespace …) is merged into it: maps merge, everything else (arrays included) replaces.
 */
import type { Obj, Store } from "../store.ts";
import type { SimContext } from "../types.ts";
import type { PoolSpec, ScenarioSpec } from "./schema.ts";
import {
  addressIn,
  clusterTag,
  hostSubnet,
  keystoneProjectId,
  macFor,
  makeEgressNetworkPolicy,
  makeHostSubnet,
  makeNamespace,
  makeNetNamespace,
  makeNode,
  makePod,
  nodeVersions,
  ocpMinor,
  openstackId,
  type PlacedNode,
  PodPlacer,
  publicNetworkId,
  seededSuffix,
  seededUuid,
} from "./generate.ts";

const DAY_MS = 86_400_000;
const MIGRATION_ANNOTATION = "network.openshift.io/network-type-migration";

const K = {
  namespace: "core/namespaces",
  node: "core/nodes",
  pod: "core/pods",
  configMap: "core/configmaps",
  service: "core/services",
  serviceAccount: "core/serviceaccounts",
  daemonSet: "apps/daemonsets",
  deployment: "apps/deployments",
  replicaSet: "apps/replicasets",
  statefulSet: "apps/statefulsets",
  infrastructure: "config.openshift.io/infrastructures",
  clusterVersion: "config.openshift.io/clusterversions",
  clusterOperator: "config.openshift.io/clusteroperators",
  networkConfig: "config.openshift.io/networks",
  networkOperator: "operator.openshift.io/networks",
  pool: "machineconfiguration.openshift.io/machineconfigpools",
  hostSubnet: "network.openshift.io/hostsubnets",
  netNamespace: "network.openshift.io/netnamespaces",
  clusterNetwork: "network.openshift.io/clusternetworks",
  egressNetworkPolicy: "network.openshift.io/egressnetworkpolicies",
} as const;

const isObj = (v: unknown): v is Obj => !!v && typeof v === "object" && !Array.isArray(v);

/** Deep merge for scenario overrides: maps merge, anything else replaces. */
export function mergeInto(base: Obj, over: Obj): Obj {
  const out: Obj = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = isObj(v) && isObj(out[k]) ? mergeInto(out[k], v) : v;
  return out;
}

/** Scenario objects by the identity of what they describe, consumed as the builder creates the same object. */
class Overrides {
  readonly #byId = new Map<string, { index: number; key: string; obj: Obj }>();
  #pending = 0;

  constructor(store: Store, objects: Obj[]) {
    const keyByKind = new Map<string, string>();
    for (const d of store.defs()) {
      keyByKind.set(
        `${d.group ? `${d.group}/${d.version}` : d.version}|${d.kind}`,
        `${d.group || "core"}/${d.resource}`,
      );
    }
    for (const [index, raw] of objects.entries()) {
      const key = keyByKind.get(`${raw.apiVersion}|${raw.kind}`);
      if (!key) {
        throw new Error(`scenario objects[${index}]: the simulator does not serve ${raw.kind} in ${raw.apiVersion}`);
      }
      const obj: Obj = structuredClone(raw);
      obj.metadata = { ...(obj.metadata ?? {}) };
      if (store.def(key).namespaced) obj.metadata.namespace ??= "default";
      else delete obj.metadata.namespace;
      const id = Overrides.id(key, obj.metadata.namespace, obj.metadata.name ?? `#${index}`);
      if (this.#byId.has(id)) throw new Error(`scenario objects[${index}]: ${raw.kind} ${id} appears twice`);
      this.#byId.set(id, { index, key, obj });
    }
    this.#pending = this.#byId.size;
  }

  static id(key: string, namespace: string | undefined, name: string): string {
    return `${key}|${namespace ?? ""}|${name}`;
  }

  /** The object with the scenario's override merged in (the override is then used up). */
  apply(key: string, obj: Obj): Obj {
    if (this.#pending === 0) return obj;
    const id = Overrides.id(key, obj.metadata?.namespace, obj.metadata?.name);
    const o = this.#byId.get(id);
    if (!o) return obj;
    this.#byId.delete(id);
    this.#pending--;
    return mergeInto(obj, o.obj);
  }

  /** Scenario objects not used up yet, in file order. */
  remaining(): { index: number; key: string; obj: Obj }[] {
    return [...this.#byId.values()].sort((a, b) => a.index - b.index);
  }

  /** Namespaces the scenario's objects live in or declare, in file order. */
  namespaces(): string[] {
    const out = new Set<string>();
    for (const { key, obj } of this.remaining()) {
      if (key === K.namespace) out.add(obj.metadata.name);
      else if (obj.metadata.namespace) out.add(obj.metadata.namespace);
    }
    return [...out];
  }
}

interface BuiltNode extends PlacedNode {
  role: string;
  pool: string;
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

const PLATFORM_STATUS_KEY: Record<string, string> = {
  AWS: "aws",
  Azure: "azure",
  GCP: "gcp",
  BareMetal: "baremetal",
  OpenStack: "openstack",
  VSphere: "vsphere",
  IBMCloud: "ibmcloud",
  Nutanix: "nutanix",
  Ovirt: "ovirt",
  PowerVS: "powervs",
  AlibabaCloud: "alibabaCloud",
  External: "external",
};

const CLUSTER_OPERATORS = [
  "authentication",
  "config-operator",
  "console",
  "dns",
  "etcd",
  "image-registry",
  "ingress",
  "kube-apiserver",
  "kube-controller-manager",
  "kube-scheduler",
  "machine-api",
  "machine-config",
  "monitoring",
  "network",
  "openshift-apiserver",
  "openshift-controller-manager",
  "service-ca",
  "storage",
];

const BASE_NAMESPACES = ["default", "kube-node-lease", "kube-public", "kube-system"];
const OPENSHIFT_NAMESPACES = [
  "openshift",
  "openshift-apiserver",
  "openshift-authentication",
  "openshift-cluster-version",
  "openshift-config",
  "openshift-config-managed",
  "openshift-console",
  "openshift-dns",
  "openshift-etcd",
  "openshift-image-registry",
  "openshift-ingress",
  "openshift-ingress-operator",
  "openshift-kube-apiserver",
  "openshift-machine-config-operator",
  "openshift-monitoring",
  "openshift-multus",
  "openshift-network-diagnostics",
  "openshift-network-operator",
];
/** Namespaces only a managed (ROSA/OSD) cluster has. */
const MANAGED_NAMESPACES = [
  "openshift-backplane",
  "openshift-managed-upgrade-operator",
  "openshift-ocm-agent-operator",
];

const PLUGIN_NAMESPACE: Record<string, string> = {
  OpenShiftSDN: "openshift-sdn",
  OVNKubernetes: "openshift-ovn-kubernetes",
  Kuryr: "openshift-kuryr",
};

const SDN_PLUGIN_NAME: Record<string, string> = {
  NetworkPolicy: "redhat/openshift-ovs-networkpolicy",
  Multitenant: "redhat/openshift-ovs-multitenant",
  Subnet: "redhat/openshift-ovs-subnet",
};

/** Encodes n in the 27-letter alphabet Kubernetes uses for generated name suffixes. */
function suffix(n: number, len = 5): string {
  const alphabet = "bcdfghjklmnpqrstvwxz2456789";
  let out = "";
  for (let i = 0; i < len; i++) {
    out += alphabet[n % 27];
    n = Math.floor(n / 27);
  }
  return out;
}

class ClusterBuilder {
  readonly s: ScenarioSpec;
  readonly store: Store;
  readonly ov: Overrides;
  /** Simulated install time: a month before the simulation starts. */
  readonly installMs: number;
  readonly nodes: BuiltNode[] = [];
  readonly namespaces: string[] = [];
  readonly hardwareMTU: number;
  readonly installIso: string;
  placer!: PodPlacer;

  constructor(readonly ctx: SimContext) {
    this.s = ctx.scenario;
    this.store = ctx.store;
    this.ov = new Overrides(ctx.store, this.s.objects);
    this.installMs = Math.floor(ctx.clock.now() / 1000) * 1000 - 30 * DAY_MS;
    this.hardwareMTU = this.s.network.hardwareMTU ?? 1500;
    this.installIso = iso(this.installMs);
  }

  /** Creates an object (merged with the scenario's override of it), dated at install time unless it says otherwise. */
  create(key: string, obj: Obj): Obj {
    const o = this.ov.apply(key, obj);
    o.metadata.creationTimestamp ??= this.installIso;
    return this.store.create(key, key === K.pod ? this.kuryrPod(o) : o);
  }

  get openshift(): boolean {
    return this.s.openshift;
  }

  get plugin(): string {
    return this.s.network.type;
  }

  get sdn(): boolean {
    return this.openshift && this.plugin === "OpenShiftSDN";
  }

  get external(): boolean {
    return this.s.controlPlaneTopology === "External";
  }

  build(): void {
    this.buildNamespaces();
    this.buildNodes();
    if (this.openshift) {
      this.buildInfrastructure();
      this.buildClusterVersion();
      this.buildNetworkConfig();
      this.buildNetworkOperator();
      this.buildMtuConfigMap();
      this.buildInstallConfig();
      this.buildClusterOperators();
      this.buildPools();
      if (this.sdn) {
        this.buildClusterNetwork();
        this.buildNetNamespaces();
      }
      if (this.kuryr) this.buildKuryrObjects();
      this.buildPlatformDaemonSets();
      if (!this.s.faults.prometheusMissing) this.buildPrometheus();
      this.buildRouter();
    } else {
      this.buildCoreDns();
    }
    this.buildGeneratedWorkloads();
    this.buildScenarioObjects();
    if (this.kuryr) this.buildKuryrWorkloadObjects();
  }

  /** Kuryr runs, or ran: a cluster migrated from Kuryr keeps its Kuryr objects until the clean-up (procedures.md §2). */
  get kuryr(): boolean {
    return this.openshift && (this.plugin === "Kuryr" || this.s.migratedFrom?.type === "Kuryr");
  }

  // -------------------------------------------------------------------------------------------------------
  // Namespaces

  buildNamespaces(): void {
    const names = new Set<string>(BASE_NAMESPACES);
    if (this.openshift) {
      for (const n of OPENSHIFT_NAMESPACES) {
        if (this.external && n === "openshift-etcd") continue;
        names.add(n);
      }
      names.add(PLUGIN_NAMESPACE[this.plugin]);
      // The documented procedures leave the old plugin's namespace for the user to delete.
      if (this.s.migratedFrom) names.add(PLUGIN_NAMESPACE[this.s.migratedFrom.type]);
      if (this.s.managed) { for (const n of MANAGED_NAMESPACES) names.add(n); }
    }
    for (const n of this.ov.namespaces()) names.add(n);
    for (const n of this.generatedNamespaceNames()) names.add(n);
    for (const name of names) {
      const labels: Record<string, string> = {};
      if (this.s.managed && MANAGED_NAMESPACES.includes(name)) labels["hive.openshift.io/managed"] = "true";
      this.create(K.namespace, makeNamespace(name, { openshift: this.openshift, labels }));
      this.namespaces.push(name);
    }
  }

  #generated?: string[];

  generatedNamespaceNames(): string[] {
    if (this.#generated) return this.#generated;
    const count = this.s.generate.namespaces;
    const width = Math.max(4, String(count).length);
    this.#generated = Array.from({ length: count }, (_, i) => `project-${String(i + 1).padStart(width, "0")}`);
    return this.#generated;
  }

  // -------------------------------------------------------------------------------------------------------
  // Nodes and their subnets

  buildNodes(): void {
    const net = this.s.network;
    const machine = net.machineNetwork.find((c) => c.includes("."));
    const cluster = net.clusterNetwork.find((c) => c.cidr.includes("."));
    if (!machine) throw new Error(`scenario ${this.s.name}: network.machineNetwork needs an IPv4 CIDR`);
    if (!cluster) throw new Error(`scenario ${this.s.name}: network.clusterNetwork needs an IPv4 CIDR`);
    const versions = nodeVersions(this.s.version, this.openshift);
    let index = 0;
    for (const pool of this.s.pools) {
      const role = pool.role ?? pool.name;
      for (let i = 0; i < pool.nodes; i++, index++) {
        const name = pool.nodeNames?.[i] ?? `${pool.name}-${i}`;
        const address = addressIn(machine, 9 + index);
        const subnet = hostSubnet(cluster.cidr, cluster.hostPrefix, index);
        this.create(
          K.node,
          makeNode({
            name,
            role,
            index,
            poolIndex: i,
            address,
            platform: this.s.platform,
            infraName: this.s.infrastructureName,
            versions,
            openshift: this.openshift,
            creationTimestamp: iso(this.installMs + index * 1000),
          }),
        );
        if (this.sdn) this.create(K.hostSubnet, makeHostSubnet(name, address, subnet));
        this.nodes.push({ name, address, subnet, role, pool: pool.name });
      }
    }
    if (this.nodes.length === 0) throw new Error(`scenario ${this.s.name}: the pools define no nodes`);
    const workers = this.nodes.filter((n) => n.role !== "master" && n.role !== "control-plane");
    this.placer = new PodPlacer(workers.length ? workers : this.nodes);
  }

  // -------------------------------------------------------------------------------------------------------
  // Cluster configuration (cluster-behaviour.md §4.1–§4.4)

  buildInfrastructure(): void {
    const s = this.s;
    const key = PLATFORM_STATUS_KEY[s.platform];
    const platformStatus: Obj = { type: s.platform };
    if (key) {
      switch (s.platform) {
        case "AWS":
          platformStatus.aws = { region: "us-east-1" };
          if (s.managed) {
            platformStatus.aws.resourceTags = [
              { key: "red-hat-managed", value: "true" },
              { key: "red-hat-clustertype", value: "rosa" },
            ];
          }
          break;
        case "GCP":
          platformStatus.gcp = { projectID: "sim-project", region: "us-central1" };
          break;
        case "Azure":
          platformStatus.azure = {
            cloudName: "AzurePublicCloud",
            resourceGroupName: `${s.infrastructureName}-rg`,
            networkResourceGroupName: `${s.infrastructureName}-rg`,
          };
          break;
        default:
          platformStatus[key] = {};
      }
    }
    const platformSpec: Obj = { type: s.platform };
    if (key) platformSpec[key] = {};
    const infraTopology = s.controlPlaneTopology === "SingleReplica" ? "SingleReplica" : "HighlyAvailable";
    this.create(K.infrastructure, {
      apiVersion: "config.openshift.io/v1",
      kind: "Infrastructure",
      metadata: { name: "cluster" },
      spec: { cloudConfig: { name: "" }, platformSpec },
      status: {
        apiServerInternalURI: "https://api-int.sim.example.com:6443",
        apiServerURL: "https://api.sim.example.com:6443",
        controlPlaneTopology: s.controlPlaneTopology,
        cpuPartitioning: "None",
        etcdDiscoveryDomain: "",
        infrastructureName: s.infrastructureName,
        infrastructureTopology: infraTopology,
        platform: s.platform,
        platformStatus,
      },
    });
  }

  buildClusterVersion(): void {
    const s = this.s;
    const image = (v: string) =>
      `quay.io/openshift-release-dev/ocp-release@sha256:${seededUuid(v).replaceAll("-", "")}`;
    const channel = (v: string) => `stable-4.${ocpMinor(v)}`;
    const history: Obj[] = [];
    const desiredVersion = s.upgradingTo ?? s.version;
    if (s.upgradingTo) {
      history.push({
        state: "Partial",
        version: s.upgradingTo,
        image: image(s.upgradingTo),
        startedTime: iso(this.ctx.clock.now() - 3_600_000),
        completionTime: null,
        verified: true,
      });
    }
    history.push({
      state: "Completed",
      version: s.version,
      image: image(s.version),
      startedTime: iso(this.installMs - 3_600_000),
      completionTime: iso(this.installMs),
      verified: false,
    });
    const spec: Obj = { clusterID: seededUuid(`cluster/${s.infrastructureName}`), channel: channel(desiredVersion) };
    if (s.upgradingTo) spec.desiredUpdate = { version: s.upgradingTo, image: image(s.upgradingTo), force: false };
    this.create(K.clusterVersion, {
      apiVersion: "config.openshift.io/v1",
      kind: "ClusterVersion",
      metadata: { name: "version" },
      spec,
      status: {
        availableUpdates: null,
        desired: {
          version: desiredVersion,
          image: image(desiredVersion),
          channels: [channel(desiredVersion), `fast-4.${ocpMinor(desiredVersion)}`],
        },
        history,
        observedGeneration: 1,
        versionHash: seededSuffix(desiredVersion, 11),
      },
    });
  }

  /** The cluster MTU of a plugin on this hardware (overlay overhead: SDN 50, OVN 100 bytes). */
  pluginMtu(type: string): number {
    if (type === "OVNKubernetes") {
      const override = this.s.network.ovnKubernetesConfig?.mtu;
      return typeof override === "number" ? override : this.hardwareMTU - 100;
    }
    if (type === "OpenShiftSDN") return this.hardwareMTU - 50;
    return this.hardwareMTU; // Kuryr uses the Neutron network's MTU as it is
  }

  buildNetworkConfig(): void {
    const s = this.s;
    const net = s.network;
    const metadata: Obj = { name: "cluster" };
    const status: Obj = {
      clusterNetwork: net.clusterNetwork,
      serviceNetwork: net.serviceNetwork,
      networkType: net.type,
      clusterNetworkMTU: this.pluginMtu(net.type),
    };
    const from = s.migratedFrom;
    if (from?.method === "offline") {
      // spec.migration is still set on network.operator, so CNO keeps reporting it (cluster-behaviour.md §1.4).
      status.migration = { networkType: net.type };
    }
    if (from?.method === "live") {
      // CNO never removes the annotation; the conditions are as reset at completion (§2.3, §2.4 step 7).
      metadata.annotations = { [MIGRATION_ANNOTATION]: "" };
      const t = iso(this.ctx.clock.now() - DAY_MS);
      const cond = (type: string, status: string, reason: string, message: string) => ({
        type,
        status,
        reason,
        message,
        lastTransitionTime: t,
      });
      status.conditions = [
        cond(
          "NetworkTypeMigrationInProgress",
          "False",
          "NetworkTypeMigrationCompleted",
          "Network type migration is completed",
        ),
        ...[
          "NetworkTypeMigrationMTUReady",
          "NetworkTypeMigrationTargetCNIAvailable",
          "NetworkTypeMigrationTargetCNIInUse",
          "NetworkTypeMigrationOriginalCNIPurged",
        ].map((type) =>
          cond(type, "Unknown", "NetworkTypeMigrationNotInProgress", "Network type migration is not in progress")
        ),
      ];
    }
    this.create(K.networkConfig, {
      apiVersion: "config.openshift.io/v1",
      kind: "Network",
      metadata,
      spec: {
        clusterNetwork: net.clusterNetwork,
        serviceNetwork: net.serviceNetwork,
        networkType: net.type,
        externalIP: { policy: {} },
      },
      status,
    });
  }

  sdnConfig(): Obj {
    return { mode: this.s.network.sdnMode, vxlanPort: this.s.network.vxlanPort, mtu: this.pluginMtu("OpenShiftSDN") };
  }

  ovnConfig(): Obj {
    const base: Obj = {
      mtu: this.pluginMtu("OVNKubernetes"),
      genevePort: 6081,
      policyAuditConfig: {
        destination: "null",
        maxFileSize: 50,
        maxLogFiles: 5,
        rateLimit: 20,
        syslogFacility: "local0",
      },
    };
    return mergeInto(base, this.s.network.ovnKubernetesConfig ?? {});
  }

  buildNetworkOperator(): void {
    const s = this.s;
    const type = s.network.type;
    const defaultNetwork: Obj = { type };
    if (type === "OpenShiftSDN") {
      defaultNetwork.openshiftSDNConfig = this.sdnConfig();
      // Users may set OVN options (internal subnets) before a migration; they stay unused until then.
      if (s.network.ovnKubernetesConfig) {
        defaultNetwork.ovnKubernetesConfig = structuredClone(s.network.ovnKubernetesConfig);
      }
    } else if (type === "OVNKubernetes") {
      defaultNetwork.ovnKubernetesConfig = this.ovnConfig();
    } else {
      defaultNetwork.kuryrConfig = { mtu: this.pluginMtu("Kuryr"), enablePortPoolsPrepopulation: false };
    }
    const spec: Obj = {
      clusterNetwork: s.network.clusterNetwork,
      serviceNetwork: s.network.serviceNetwork,
      defaultNetwork,
      managementState: "Managed",
      logLevel: "Normal",
      operatorLogLevel: "Normal",
      disableNetworkDiagnostics: false,
    };
    const from = s.migratedFrom;
    if (from) {
      // What the documented procedures leave behind until the user's cleanup (procedures.md §5 step 14, §6).
      if (from.type === "OpenShiftSDN") defaultNetwork.openshiftSDNConfig = this.sdnConfig();
      else defaultNetwork.kuryrConfig = { mtu: this.hardwareMTU, enablePortPoolsPrepopulation: false };
      if (from.method === "offline") spec.migration = { networkType: type };
    }
    this.create(K.networkOperator, {
      apiVersion: "operator.openshift.io/v1",
      kind: "Network",
      metadata: { name: "cluster" },
      spec,
    });
  }

  buildMtuConfigMap(): void {
    if (this.s.network.hardwareMTU === null) return;
    this.create(K.configMap, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "mtu", namespace: "openshift-network-operator" },
      data: { mtu: String(this.s.network.hardwareMTU) },
    });
  }

  /** The installer's record (kube-system/cluster-config-v1): where tools read the real machine network. */
  buildInstallConfig(): void {
    if (!this.s.openshift) return;
    const platform = this.s.platform.toLowerCase() === "none" ? "none" : this.s.platform.toLowerCase();
    const installConfig = [
      "apiVersion: v1",
      "baseDomain: example.com",
      `metadata:\n  name: ${this.s.infrastructureName.replace(/-[a-z0-9]+$/, "")}`,
      "networking:",
      "  clusterNetwork:",
      ...this.s.network.clusterNetwork.map((c) => `  - cidr: ${c.cidr}\n    hostPrefix: ${c.hostPrefix}`),
      "  machineNetwork:",
      ...this.s.network.machineNetwork.map((c) => `  - cidr: ${c}`),
      `  networkType: ${this.s.migratedFrom ? this.s.migratedFrom.type : this.s.network.type}`,
      "  serviceNetwork:",
      ...this.s.network.serviceNetwork.map((c) => `  - ${c}`),
      "platform:",
      `  ${platform}: {}`,
      "",
    ].join("\n");
    this.create(K.configMap, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: { name: "cluster-config-v1", namespace: "kube-system" },
      data: { "install-config": installConfig },
    });
  }

  buildClusterOperators(): void {
    for (const name of CLUSTER_OPERATORS) {
      if (this.external && (name === "etcd" || name === "machine-api")) continue;
      // Conditions and versions are written by the simulated operators.
      this.create(K.clusterOperator, {
        apiVersion: "config.openshift.io/v1",
        kind: "ClusterOperator",
        metadata: {
          name,
          annotations: {
            "include.release.openshift.io/self-managed-high-availability": "true",
          },
        },
        spec: {},
      });
    }
  }

  buildPools(): void {
    for (const pool of this.s.pools) this.create(K.pool, this.poolObject(pool));
  }

  poolObject(pool: PoolSpec): Obj {
    const role = pool.role ?? pool.name;
    const labels: Record<string, string> = { [`pools.operator.machineconfiguration.openshift.io/${pool.name}`]: "" };
    let machineConfigSelector: Obj;
    if (pool.name === "master" || pool.name === "worker") {
      labels["machineconfiguration.openshift.io/mco-built-in"] = "";
      if (pool.name === "master") labels["operator.machineconfiguration.openshift.io/required-for-upgrade"] = "";
      machineConfigSelector = { matchLabels: { "machineconfiguration.openshift.io/role": pool.name } };
    } else {
      // Custom pools inherit the worker configs plus their own.
      machineConfigSelector = {
        matchExpressions: [
          { key: "machineconfiguration.openshift.io/role", operator: "In", values: ["worker", pool.name] },
        ],
      };
    }
    return {
      apiVersion: "machineconfiguration.openshift.io/v1",
      kind: "MachineConfigPool",
      metadata: { name: pool.name, labels },
      spec: {
        machineConfigSelector,
        nodeSelector: { matchLabels: { [`node-role.kubernetes.io/${role}`]: "" } },
        paused: pool.paused,
        maxUnavailable: pool.maxUnavailable,
      },
    };
  }

  // -------------------------------------------------------------------------------------------------------
  // SDN objects (cluster-behaviour.md §4.6)

  buildClusterNetwork(): void {
    const net = this.s.network;
    const first = net.clusterNetwork[0];
    this.create(K.clusterNetwork, {
      apiVersion: "network.openshift.io/v1",
      kind: "ClusterNetwork",
      metadata: { name: "default" },
      network: first.cidr,
      hostsubnetlength: 32 - first.hostPrefix,
      serviceNetwork: net.serviceNetwork[0],
      pluginName: SDN_PLUGIN_NAME[net.sdnMode],
      clusterNetworks: net.clusterNetwork.map((c) => ({ CIDR: c.cidr, hostSubnetLength: 32 - c.hostPrefix })),
      vxlanPort: net.vxlanPort,
      mtu: this.pluginMtu("OpenShiftSDN"),
    });
  }

  /** VNID of a namespace: 0 (global) for `default`, and in Multitenant mode for the platform namespaces. */
  netid(name: string, index: number): number {
    if (name === "default") return 0;
    if (this.s.network.sdnMode === "Multitenant" && (name === "kube-system" || name.startsWith("openshift"))) return 0;
    return 4_000_000 + index * 11;
  }

  buildNetNamespaces(): void {
    const every = this.s.generate.multicastEvery;
    const generated = new Map(this.generatedNamespaceNames().map((n, i) => [n, i]));
    for (const [index, name] of this.namespaces.entries()) {
      const g = generated.get(name);
      const multicast = every > 0 && g !== undefined && (g + 1) % every === 0;
      this.create(K.netNamespace, makeNetNamespace(name, this.netid(name, index), multicast));
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Kuryr on OpenStack (procedures.md §2–§3): what CNO and kuryr-controller leave in the cluster, with the
  // OpenStack ids the simulated cloud (sim/openstack/layout.ts) holds the resources under. Names, tags and
  // formats follow CNO release-4.14 (bindata/network/kuryr/003-config.yaml, pkg/platform/openstack/
  // kuryr_bootstrap.go) and kuryr-kubernetes release-4.14 (controller/drivers/*.py).

  get infra(): string {
    return this.s.infrastructureName;
  }

  osId(what: string): string {
    return openstackId(this.infra, what);
  }

  get kuryrProjectId(): string {
    return keystoneProjectId(this.s.openstack?.projectName ?? "shiftstack");
  }

  get octaviaLegacy(): boolean {
    return this.s.openstack?.faults.octaviaLegacy ?? false;
  }

  /** A namespace's Neutron subnet: Kuryr allocates one prefix of the pod subnet pool per namespace. */
  kuryrSubnet(namespace: string): string | undefined {
    const i = this.namespaces.indexOf(namespace);
    if (i < 0) return undefined;
    const only = this.s.openstack?.kuryrNamespaces;
    if (only && !only.includes(namespace)) return undefined;
    // The new plugin's namespace appeared at the flip, when Kuryr's controller was already gone.
    if (this.plugin !== "Kuryr" && namespace === PLUGIN_NAMESPACE[this.plugin]) return undefined;
    const cluster = this.s.network.clusterNetwork[0];
    return hostSubnet(cluster.cidr, cluster.hostPrefix, i);
  }

  /** The service subnet's gateway: the ClusterIP of the guard Service CNO creates to reserve it. */
  get serviceGatewayIp(): string {
    return addressIn(this.s.network.serviceNetwork[0], 200);
  }

  readonly #kuryrPodIps = new Map<string, number>();

  /** Kuryr pods get their address from the namespace subnet (.1 is the router) and Kuryr's finalizer. */
  kuryrPod(pod: Obj): Obj {
    if (!this.kuryr || pod.spec?.hostNetwork) return pod;
    const subnet = this.kuryrSubnet(pod.metadata.namespace);
    if (!subnet) return pod;
    const n = (this.#kuryrPodIps.get(subnet) ?? 0) + 1;
    this.#kuryrPodIps.set(subnet, n);
    const ip = addressIn(subnet, n);
    const out: Obj = { ...pod, metadata: { ...pod.metadata }, status: { ...(pod.status ?? {}) } };
    out.metadata.finalizers = [...new Set([...(pod.metadata.finalizers ?? []), "kuryr.openstack.org/pod-finalizer"])];
    if (out.status.podIP) {
      out.status.podIP = ip;
      out.status.podIPs = [{ ip }];
    }
    return out;
  }

  buildKuryrObjects(): void {
    const net = this.s.network;
    const tag = clusterTag(this.infra);
    const installerRouter = (this.s.openstack?.router ?? "installer") === "installer";
    const conf = [
      "[DEFAULT]",
      "debug = false",
      "",
      "[binding]",
      "default_driver = kuryr.lib.binding.drivers.vlan",
      "",
      "[cni_daemon]",
      "daemon_enabled = true",
      "docker_mode = true",
      "netns_proc_dir = /host_proc",
      "vif_annotation_timeout = 200",
      "",
      "[ingress]",
      "#l7_router_uuid = <None>",
      "",
      "[kubernetes]",
      'api_root = ""',
      "ssl_ca_crt_file = /var/run/secrets/kubernetes.io/serviceaccount/ca.crt",
      "token_file = /var/run/secrets/kubernetes.io/serviceaccount/token",
      "ssl_verify_server_crt = true",
      "controller_ha = false",
      "controller_ha_elector_port = 16401",
      "watch_retry_timeout = 3600",
      "pod_vif_driver = nested-vlan",
      "vif_pool_driver = nested",
      "multi_vif_drivers = noop",
      "",
      "enabled_handlers = vif,kuryrport,service,endpoints,kuryrloadbalancer,policy,pod_label,namespace,openshift_machine,kuryrnetworkpolicy,kuryrnetwork",
      "pod_security_groups_driver = policy",
      "service_security_groups_driver = policy",
      "pod_subnets_driver = namespace",
      "nodes_subnets_driver = openshift",
      "",
      "endpoints_driver_octavia_provider = ovn",
      "",
      "[pod_vif_nested]",
      `worker_nodes_subnets = ${this.osId("subnet/nodes")}`,
      "",
      "[octavia_defaults]",
      "member_mode = L3",
      "sg_mode = update",
      "enforce_sg_rules = false",
      "lb_algorithm = SOURCE_IP_PORT",
      "",
      "[namespace_subnet]",
      `pod_router = ${this.osId("router/nodes")}`,
      `pod_subnet_pool = ${this.osId("subnetpool/pods")}`,
      "",
      "[neutron_defaults]",
      `service_subnet = ${this.osId("subnet/service")}`,
      `project = ${this.kuryrProjectId}`,
      `pod_security_groups = ${this.osId("sg/pods")}`,
      `resource_tags = ${tag}`,
      `external_svc_net = ${installerRouter ? publicNetworkId(this.s.openstack?.regions[0] ?? "RegionOne") : '""'}`,
      `network_device_mtu = ${this.pluginMtu("Kuryr")}`,
      "",
      "[vif_pool]",
      "ports_pool_max = 0",
      "ports_pool_min = 1",
      "ports_pool_batch = 3",
      "ports_pool_update_frequency = 30",
      "",
      "[health_server]",
      "port = 8091",
      "",
      "[cni_health_server]",
      "port = 8090",
      "",
      "[prometheus_exporter]",
      "controller_exporter_port = 9654",
      "cni_exporter_port = 9655",
      "",
    ].join("\n");
    this.create(K.configMap, {
      apiVersion: "v1",
      kind: "ConfigMap",
      metadata: {
        name: "kuryr-config",
        namespace: "openshift-kuryr",
        annotations: {
          "networkoperator.openshift.io/kuryr-octavia-provider": "ovn",
          "networkoperator.openshift.io/kuryr-octavia-version": this.octaviaLegacy ? "v2.4" : "v2.13",
        },
      },
      data: { "kuryr.conf": conf },
    });
    // CNO's guard Service reserving the service subnet's gateway IP (kuryr_bootstrap.go ensureSubnetGatewayGuardSvc).
    this.create(K.service, {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "service-subnet-gateway-ip",
        namespace: "openshift-kuryr",
        finalizers: ["kuryr.openstack.org/service-finalizer"],
      },
      spec: {
        clusterIP: this.serviceGatewayIp,
        clusterIPs: [this.serviceGatewayIp],
        ports: [{ port: 80, protocol: "TCP", targetPort: 80 }],
        type: "ClusterIP",
        sessionAffinity: "None",
      },
      status: { loadBalancer: {} },
    });
    // The default Service, as kube-apiserver keeps it; Kuryr gives it a load balancer to the masters.
    this.create(K.service, {
      apiVersion: "v1",
      kind: "Service",
      metadata: {
        name: "kubernetes",
        namespace: "default",
        labels: { component: "apiserver", provider: "kubernetes" },
      },
      spec: {
        clusterIP: addressIn(net.serviceNetwork[0], 0),
        clusterIPs: [addressIn(net.serviceNetwork[0], 0)],
        ports: [{ name: "https", port: 443, protocol: "TCP", targetPort: 6443 }],
        type: "ClusterIP",
        sessionAffinity: "None",
      },
      status: { loadBalancer: {} },
    });
    const img = (c: string) =>
      `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${seededUuid(c).replaceAll("-", "")}`;
    // After the flip CNO deletes the Kuryr workloads and keeps the namespace (cluster-behaviour.md §1.4).
    if (this.plugin === "Kuryr") this.buildKuryrWorkloads(img);
    this.buildKuryrNetworks();
  }

  buildKuryrWorkloads(img: (c: string) => string): void {
    this.create(K.deployment, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "kuryr-controller", namespace: "openshift-kuryr", labels: { app: "kuryr-controller" } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "kuryr-controller" } },
        template: {
          metadata: { labels: { app: "kuryr-controller" } },
          spec: {
            hostNetwork: true,
            serviceAccountName: "kuryr-controller",
            nodeSelector: { "node-role.kubernetes.io/master": "" },
            containers: [{ name: "controller", image: img("kuryr-controller"), command: ["kuryr-k8s-controller"] }],
          },
        },
      },
      status: { replicas: 1, readyReplicas: 1, availableReplicas: 1, updatedReplicas: 1, observedGeneration: 1 },
    });
    this.create(
      K.daemonSet,
      this.daemonSet("openshift-kuryr", "kuryr-cni", { app: "kuryr-cni" }, {
        hostNetwork: true,
        serviceAccountName: "kuryr-daemon",
        containers: [{ name: "kuryr-cni", image: img("kuryr-cni"), securityContext: { privileged: true } }],
        tolerations: [{ operator: "Exists" }],
      }, this.nodes.length),
    );
  }

  buildKuryrNetworks(): void {
    const cluster = this.s.network.clusterNetwork[0];
    for (const [i, name] of this.namespaces.entries()) {
      if (!this.kuryrSubnet(name)) continue;
      this.create("openstack.org/kuryrnetworks", {
        apiVersion: "openstack.org/v1",
        kind: "KuryrNetwork",
        metadata: { name, namespace: name, finalizers: ["kuryrnetwork.finalizers.kuryr.openstack.org"] },
        spec: { nsName: name, projectId: this.kuryrProjectId, nsLabels: { "kubernetes.io/metadata.name": name } },
        status: {
          netId: this.osId(`net/ns/${name}`),
          subnetId: this.osId(`subnet/ns/${name}`),
          routerId: this.osId("router/nodes"),
          subnetCIDR: hostSubnet(cluster.cidr, cluster.hostPrefix, i),
          populated: true,
          nsLabels: { "kubernetes.io/metadata.name": name },
        },
      });
    }
  }

  /** KuryrPorts, KuryrLoadBalancers (and their Services' finalizers), KuryrNetworkPolicies: after every pod exists. */
  buildKuryrWorkloadObjects(): void {
    const project = this.kuryrProjectId;
    const mtu = this.pluginMtu("Kuryr");
    // A Service per generated namespace, so size scenarios get load balancers too.
    if (this.s.generate.podsPerNamespace > 0) {
      for (const [i, ns] of this.generatedNamespaceNames().entries()) {
        this.create(K.service, {
          apiVersion: "v1",
          kind: "Service",
          metadata: { name: "web", namespace: ns },
          spec: {
            selector: { app: "web" },
            clusterIP: addressIn(this.s.network.serviceNetwork[0], 1000 + i),
            ports: [{ name: "http", port: 80, protocol: "TCP", targetPort: 8080 }],
            type: "ClusterIP",
          },
          status: { loadBalancer: {} },
        });
      }
    }
    const vlans = new Map<string, number>();
    for (const pod of this.store.all(K.pod)) {
      if (pod.spec?.hostNetwork || !pod.status?.podIP) continue;
      const ns = pod.metadata.namespace;
      const subnet = this.kuryrSubnet(ns);
      if (!subnet) continue;
      const node = pod.spec.nodeName;
      const vlan = (vlans.get(node) ?? 0) + 1;
      vlans.set(node, vlan);
      const portId = this.osId(`port/pod/${ns}/${pod.metadata.name}`);
      const ovo = (name: string, version: string, data: Obj) => ({
        "versioned_object.data": data,
        "versioned_object.name": name,
        "versioned_object.namespace": "os_vif",
        "versioned_object.version": version,
      });
      const vif = ovo("VIFVlanNested", "1.0", {
        active: true,
        address: macFor(portId),
        has_traffic_filtering: false,
        id: portId,
        network: ovo("Network", "1.1", {
          id: this.osId(`net/ns/${ns}`),
          label: `${this.store.get(K.namespace, undefined, ns)?.metadata.uid ?? ""}/${ns}`,
          mtu,
          multi_host: false,
          should_provide_bridge: false,
          should_provide_vlan: false,
          subnets: ovo("SubnetList", "1.0", {
            objects: [ovo("Subnet", "1.0", {
              cidr: subnet,
              dns: [],
              gateway: addressIn(subnet, 0),
              ips: ovo("FixedIPList", "1.0", { objects: [ovo("FixedIP", "1.0", { address: pod.status.podIP })] }),
              routes: ovo("RouteList", "1.0", { objects: [] }),
            })],
          }),
        }),
        plugin: "noop",
        preserve_on_delete: false,
        vif_name: `tap${portId.slice(0, 11)}`,
        vlan_id: 1000 + vlan,
      });
      this.store.create("openstack.org/kuryrports", {
        apiVersion: "openstack.org/v1",
        kind: "KuryrPort",
        metadata: {
          name: pod.metadata.name,
          namespace: ns,
          labels: { "kuryr.openstack.org/nodeName": node },
          finalizers: ["kuryr.openstack.org/kuryrport-finalizer"],
          creationTimestamp: pod.metadata.creationTimestamp,
        },
        spec: { podUid: pod.metadata.uid, podNodeName: node, podStatic: false },
        status: { vifs: { eth0: { default: true, vif } } },
      });
    }

    const serviceSubnet = this.osId("subnet/service");
    const podsSg = this.osId("sg/pods");
    for (const svc of this.store.all(K.service)) {
      const ns = svc.metadata.namespace;
      const name = svc.metadata.name;
      if (ns === "openshift-kuryr" && name === "service-subnet-gateway-ip") continue; // its IP is the router port's
      const ip = svc.spec?.clusterIP;
      if (!ip || ip === "None" || !(svc.spec.ports ?? []).length) continue;
      const key = `${ns}/${name}`;
      const lbId = this.osId(`lb/${key}`);
      const lb = {
        id: lbId,
        ip,
        name: key,
        port_id: this.osId(`port/lb/${key}`),
        project_id: project,
        provider: "ovn",
        security_groups: [podsSg],
        subnet_id: serviceSubnet,
      };
      const endpoints = key === "default/kubernetes"
        ? this.nodes.filter((n) => n.role === "master").map((n) => ({
          name: n.name,
          ip: n.address,
          subnet: this.osId("subnet/nodes"),
        }))
        : this.store.all(K.pod, ns).filter((p) =>
          p.status?.podIP && !p.spec?.hostNetwork &&
          Object.entries(svc.spec.selector ?? { "\u0000": "" }).every(([k, v]) => p.metadata.labels?.[k] === v)
        ).map((p) => ({ name: p.metadata.name, ip: p.status.podIP, subnet: this.osId(`subnet/ns/${ns}`) }));
      const listeners: Obj[] = [];
      const pools: Obj[] = [];
      const members: Obj[] = [];
      for (const port of svc.spec.ports) {
        const proto = port.protocol ?? "TCP";
        const lname = `${key}:${proto}:${port.port}`;
        const listener = {
          id: this.osId(`listener/${lname}`),
          loadbalancer_id: lbId,
          name: lname,
          port: port.port,
          project_id: project,
          protocol: proto,
        };
        listeners.push(listener);
        const pool = {
          id: this.osId(`pool/${lname}`),
          listener_id: listener.id,
          loadbalancer_id: lbId,
          name: lname,
          project_id: project,
          protocol: proto,
        };
        pools.push(pool);
        const target = Number(port.targetPort ?? port.port);
        for (const e of endpoints) {
          members.push({
            id: this.osId(`member/${lname}/${e.name}`),
            ip: e.ip,
            name: `${ns}/${e.name}:${target}`,
            pool_id: pool.id,
            port: target,
            project_id: project,
            subnet_id: e.subnet,
          });
        }
      }
      const status: Obj = { loadbalancer: lb, listeners, pools, members };
      if (svc.spec.type === "LoadBalancer") {
        const user = typeof svc.spec.loadBalancerIP === "string" && svc.spec.loadBalancerIP !== "";
        status.service_pub_ip_info = {
          ip_id: this.osId(user ? `fip/user/${key}` : `fip/lb/${key}`),
          ip_addr: user
            ? svc.spec.loadBalancerIP
            : addressIn("172.24.4.0/24", 100 + this.store.all("openstack.org/kuryrloadbalancers").length),
          alloc_method: user ? "user" : "pool",
        };
      }
      this.store.create("openstack.org/kuryrloadbalancers", {
        apiVersion: "openstack.org/v1",
        kind: "KuryrLoadBalancer",
        metadata: {
          name,
          namespace: ns,
          finalizers: ["kuryr.openstack.org/kuryrloadbalancer-finalizers"],
          ownerReferences: [{ apiVersion: "v1", kind: "Service", name, uid: svc.metadata.uid }],
          creationTimestamp: svc.metadata.creationTimestamp,
        },
        spec: {
          ip,
          ports: svc.spec.ports.map((p: Obj) => ({
            ...(p.name ? { name: p.name } : {}),
            port: p.port,
            protocol: p.protocol ?? "TCP",
            targetPort: String(p.targetPort ?? p.port),
          })),
          project_id: project,
          provider: "ovn",
          security_groups_ids: [podsSg],
          subnet_id: serviceSubnet,
          type: svc.spec.type ?? "ClusterIP",
          timeout_client_data: 0,
          timeout_member_data: 0,
        },
        status,
      });
      this.store.mutate(K.service, ns, name, (o) => {
        o.metadata.finalizers = [
          ...new Set([...(o.metadata.finalizers ?? []), "kuryr.openstack.org/service-finalizer"]),
        ];
      });
      if (status.service_pub_ip_info) {
        const fip = status.service_pub_ip_info.ip_addr;
        this.store.mutate(K.service, ns, name, (o) => {
          o.status = { loadBalancer: { ingress: [{ ip: fip }] } };
        }, { subresource: "status" });
      }
    }

    for (const np of this.store.all("networking.k8s.io/networkpolicies")) {
      const ns = np.metadata.namespace;
      const name = np.metadata.name;
      const key = `${ns}/${name}`;
      const sgId = this.osId(`sg/np/${key}`);
      const cidr = this.kuryrSubnet(ns) ?? "0.0.0.0/0";
      const ingress: Obj[] = [];
      for (const rule of np.spec?.ingress ?? [{}]) {
        const ports: Obj[] = rule.ports?.length ? rule.ports : [{}];
        for (const p of ports) {
          ingress.push({
            description: "Kuryr-Kubernetes NetPolicy SG rule",
            direction: "ingress",
            ethertype: "IPv4",
            ...(p.port !== undefined ? { port_range_min: Number(p.port), port_range_max: Number(p.port) } : {}),
            ...(p.port !== undefined || p.protocol ? { protocol: String(p.protocol ?? "TCP").toLowerCase() } : {}),
            remote_ip_prefix: cidr,
          });
        }
      }
      const egress = [{
        description: "Kuryr-Kubernetes NetPolicy SG rule",
        direction: "egress",
        ethertype: "IPv4",
        remote_ip_prefix: "0.0.0.0/0",
      }];
      const rules = [...ingress, ...egress].map((r, i) => ({
        id: this.osId(`sgr/np/${key}/${i}`),
        security_group_id: sgId,
        ...r,
      }));
      this.store.create("openstack.org/kuryrnetworkpolicies", {
        apiVersion: "openstack.org/v1",
        kind: "KuryrNetworkPolicy",
        metadata: {
          name,
          namespace: ns,
          finalizers: ["kuryr.openstack.org/networkpolicy-finalizer"],
          ownerReferences: [{ apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", name, uid: np.metadata.uid }],
          creationTimestamp: np.metadata.creationTimestamp,
        },
        spec: {
          egressSgRules: egress.map((sgRule) => ({ sgRule })),
          ingressSgRules: ingress.map((sgRule) => ({ sgRule, namespace: ns })),
          podSelector: np.spec?.podSelector ?? {},
          policyTypes: np.spec?.policyTypes ?? ["Ingress"],
        },
        status: { securityGroupId: sgId, securityGroupRules: rules, podSelector: np.spec?.podSelector ?? {} },
      });
      this.store.mutate("networking.k8s.io/networkpolicies", ns, name, (o) => {
        o.metadata.finalizers = [
          ...new Set([...(o.metadata.finalizers ?? []), "kuryr.openstack.org/networkpolicy-finalizer"]),
        ];
      });
    }
  }

  // -------------------------------------------------------------------------------------------------------
  // Platform workloads

  daemonSet(namespace: string, name: string, podLabels: Record<string, string>, podSpec: Obj, nodes: number): Obj {
    return {
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: { name, namespace, labels: { ...podLabels } },
      spec: {
        selector: { matchLabels: { ...podLabels } },
        template: { metadata: { labels: { ...podLabels } }, spec: podSpec },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "10%", maxSurge: 0 } },
      },
      status: {
        currentNumberScheduled: nodes,
        desiredNumberScheduled: nodes,
        numberAvailable: nodes,
        numberMisscheduled: 0,
        numberReady: nodes,
        observedGeneration: 1,
        updatedNumberScheduled: nodes,
      },
    };
  }

  buildPlatformDaemonSets(): void {
    const n = this.nodes.length;
    const version = this.s.version;
    const img = (c: string) =>
      `quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:${seededUuid(c).replaceAll("-", "")}`;
    const everywhere = [{ operator: "Exists" }];
    this.create(
      K.daemonSet,
      this.daemonSet("openshift-machine-config-operator", "machine-config-daemon", {
        "k8s-app": "machine-config-daemon",
      }, {
        containers: [
          {
            name: "machine-config-daemon",
            image: img("machine-config-operator"),
            command: ["/usr/bin/machine-config-daemon"],
            args: ["start", `--payload-version=${version}`],
            securityContext: { privileged: true },
            volumeMounts: [{ name: "rootfs", mountPath: "/rootfs" }],
          },
          { name: "kube-rbac-proxy", image: img("kube-rbac-proxy"), ports: [{ containerPort: 9001, name: "metrics" }] },
        ],
        hostNetwork: true,
        hostPID: true,
        nodeSelector: { "kubernetes.io/os": "linux" },
        priorityClassName: "system-node-critical",
        serviceAccountName: "machine-config-daemon",
        tolerations: everywhere,
        volumes: [{ name: "rootfs", hostPath: { path: "/" } }],
      }, n),
    );
    this.create(
      K.daemonSet,
      this.daemonSet("openshift-dns", "dns-default", { "dns.operator.openshift.io/daemonset-dns": "default" }, {
        containers: [
          { name: "dns", image: img("coredns"), ports: [{ containerPort: 5353, name: "dns", protocol: "UDP" }] },
          { name: "kube-rbac-proxy", image: img("kube-rbac-proxy") },
        ],
        nodeSelector: { "kubernetes.io/os": "linux" },
        priorityClassName: "system-node-critical",
        serviceAccountName: "dns",
        tolerations: [{ key: "node-role.kubernetes.io/master", operator: "Exists" }],
      }, n),
    );
    this.create(
      K.daemonSet,
      this.daemonSet("openshift-dns", "node-resolver", { "dns.operator.openshift.io/daemonset-node-resolver": "" }, {
        containers: [{ name: "dns-node-resolver", image: img("cli"), securityContext: { privileged: true } }],
        hostNetwork: true,
        nodeSelector: { "kubernetes.io/os": "linux" },
        priorityClassName: "system-node-critical",
        serviceAccountName: "node-resolver",
        tolerations: everywhere,
      }, n),
    );
  }

  podOn(
    node: BuiltNode | PlacedNode,
    input: Omit<Parameters<typeof makePod>[0], "node" | "hostIP" | "podIP" | "started">,
  ) {
    return makePod({
      ...input,
      node: node.name,
      hostIP: node.address,
      podIP: input.hostNetwork ? node.address : this.placer.podIP(node),
      started: iso(this.installMs + DAY_MS),
    });
  }

  buildPrometheus(): void {
    const labels = {
      "app.kubernetes.io/component": "prometheus",
      "app.kubernetes.io/instance": "k8s",
      "app.kubernetes.io/name": "prometheus",
      "app.kubernetes.io/part-of": "openshift-monitoring",
      prometheus: "k8s",
    };
    // The documented metrics query authenticates as this service account (`oc create token prometheus-k8s`).
    this.create(K.serviceAccount, {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "prometheus-k8s", namespace: "openshift-monitoring" },
    });
    const sts = this.create(K.statefulSet, {
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "prometheus-k8s", namespace: "openshift-monitoring", labels },
      spec: {
        replicas: 2,
        serviceName: "prometheus-operated",
        selector: { matchLabels: labels },
        template: { metadata: { labels }, spec: { containers: [{ name: "prometheus", image: "prometheus" }] } },
      },
      status: {
        replicas: 2,
        readyReplicas: 2,
        currentReplicas: 2,
        updatedReplicas: 2,
        availableReplicas: 2,
        observedGeneration: 1,
      },
    });
    const containers = [
      "prometheus",
      "config-reloader",
      "thanos-sidecar",
      "kube-rbac-proxy-web",
      "kube-rbac-proxy",
      "kube-rbac-proxy-thanos",
    ];
    for (let i = 0; i < 2; i++) {
      const name = `prometheus-k8s-${i}`;
      const node = this.placer.nodes[i % this.placer.nodes.length];
      this.create(
        K.pod,
        this.podOn(node, {
          name,
          namespace: "openshift-monitoring",
          app: "prometheus",
          image: "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:prometheus",
          containers,
          labels: { ...labels, "statefulset.kubernetes.io/pod-name": name },
          ownerReferences: [this.ownerRef("StatefulSet", sts, true)],
        }),
      );
    }
  }

  ownerRef(kind: string, owner: Obj, controller: boolean): Obj {
    return {
      apiVersion: "apps/v1",
      kind,
      name: owner.metadata.name,
      uid: owner.metadata.uid,
      controller,
      blockOwnerDeletion: true,
    };
  }

  /** A Deployment with its ReplicaSet and Running pods spread over the worker nodes. */
  deployment(
    namespace: string,
    name: string,
    replicas: number,
    podLabels: Record<string, string>,
    containers: string[],
  ) {
    const hash = seededSuffix(`${namespace}/${name}`, 10);
    const template = {
      metadata: { labels: podLabels },
      spec: { containers: containers.map((c) => ({ name: c, image: `registry.example.com/${c}:latest` })) },
    };
    const status = {
      replicas,
      readyReplicas: replicas,
      availableReplicas: replicas,
      updatedReplicas: replicas,
      observedGeneration: 1,
    };
    this.create(K.deployment, {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name, namespace, labels: podLabels },
      spec: { replicas, selector: { matchLabels: podLabels }, template },
      status: {
        ...status,
        conditions: [{
          type: "Available",
          status: "True",
          reason: "MinimumReplicasAvailable",
          message: "Deployment has minimum availability.",
        }],
      },
    });
    const rsLabels = { ...podLabels, "pod-template-hash": hash };
    const rs = this.create(K.replicaSet, {
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: `${name}-${hash}`, namespace, labels: rsLabels },
      spec: {
        replicas,
        selector: { matchLabels: rsLabels },
        template: { ...template, metadata: { labels: rsLabels } },
      },
      status: { ...status, fullyLabeledReplicas: replicas },
    });
    for (let i = 0; i < replicas; i++) {
      this.create(
        K.pod,
        this.podOn(this.placer.nextNode(), {
          name: `${name}-${hash}-${seededSuffix(`${namespace}/${name}/${i}`, 5)}`,
          namespace,
          app: containers[0],
          containers,
          labels: rsLabels,
          ownerReferences: [this.ownerRef("ReplicaSet", rs, true)],
        }),
      );
    }
  }

  buildRouter(): void {
    this.deployment(
      "openshift-ingress",
      "router-default",
      Math.min(2, this.placer.nodes.length),
      { "ingresscontroller.operator.openshift.io/deployment-ingresscontroller": "default" },
      ["router"],
    );
  }

  buildCoreDns(): void {
    this.deployment("kube-system", "coredns", Math.min(2, this.placer.nodes.length), { "k8s-app": "kube-dns" }, [
      "coredns",
    ]);
  }

  // -------------------------------------------------------------------------------------------------------
  // Bulk objects (sdn-large) and the scenario's own objects

  buildGeneratedWorkloads(): void {
    const g = this.s.generate;
    const apps = ["web", "api", "worker", "cache", "db"];
    const started = iso(this.installMs + 2 * DAY_MS);
    for (const [i, ns] of this.generatedNamespaceNames().entries()) {
      if (this.sdn && g.egressNetworkPolicyEvery > 0 && (i + 1) % g.egressNetworkPolicyEvery === 0) {
        this.create(K.egressNetworkPolicy, makeEgressNetworkPolicy(ns));
      }
      const hash = seededSuffix(ns, 10);
      const offset = (i * 104_729) % 14_000_000;
      for (let j = 0; j < g.podsPerNamespace; j++) {
        const node = this.placer.nextNode();
        const app = apps[j % apps.length];
        this.create(
          K.pod,
          makePod({
            name: `${app}-${hash}-${suffix((offset + j * 7919) % 14_348_907)}`,
            namespace: ns,
            node: node.name,
            hostIP: node.address,
            podIP: this.placer.podIP(node),
            started,
            app,
          }),
        );
      }
    }
  }

  buildScenarioObjects(): void {
    for (const { key, obj } of this.ov.remaining()) {
      obj.metadata.creationTimestamp ??= iso(this.installMs + 2 * DAY_MS);
      this.store.create(key, key === K.pod ? this.kuryrPod(this.defaultPod(obj)) : obj);
    }
  }

  /** Scenario pods run where the scheduler would put them, with the status a kubelet reports. */
  defaultPod(pod: Obj): Obj {
    const out: Obj = { ...pod, spec: { ...(pod.spec ?? {}) } };
    const wanted = out.spec.nodeName ?? out.spec.nodeSelector?.["kubernetes.io/hostname"];
    const node = (wanted && this.nodes.find((n) => n.name === wanted)) || this.placer.nextNode();
    out.spec.nodeName = node.name;
    out.spec.containers ??= [{ name: "app", image: "registry.example.com/app:1.0" }];
    if (!out.status) {
      const containers: string[] = out.spec.containers.map((c: Obj) => c.name);
      const model = this.podOn(node, {
        name: out.metadata.name,
        namespace: out.metadata.namespace,
        app: containers[0],
        containers,
        image: out.spec.containers[0]?.image,
        hostNetwork: !!out.spec.hostNetwork,
      });
      out.status = model.status;
    }
    return out;
  }
}

/** Creates every initial object of `ctx.scenario` in `ctx.store`. */
export function buildCluster(ctx: SimContext): void {
  new ClusterBuilder(ctx).build();
}
