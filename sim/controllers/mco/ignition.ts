/**
 * The MachineConfigs the MCO template controller renders from its ControllerConfig (cluster-behaviour.md §0
 * "template units"): 00-<role> carries ovs-configuration.service (`configure-ovs.sh <NetworkType>`) and, during
 * an MTU migration, mtu-migration.service; the 01-/97-/99- configs are there so listings look real.
 */
import type { Obj } from "../../store.ts";
import { CONTROLLER_VERSION, GENERATED_BY, ROLE_LABEL } from "./keys.ts";

export interface MtuMigration {
  network?: { from?: number; to?: number };
  machine?: { from?: number; to?: number };
}

/** The ControllerConfig fields the simulation renders from. */
export interface ControllerConfigInputs {
  networkType: string;
  mtuMigration?: MtuMigration;
}

/** ControllerConfig.spec.networkType selection (§0): status only, spec at install time. */
export function controllerConfigInputs(networkConfig: Obj | undefined, fallbackType: string): ControllerConfigInputs {
  const status = networkConfig?.status ?? {};
  if (!status.networkType) return { networkType: networkConfig?.spec?.networkType || fallbackType };
  if (status.migration) {
    return {
      networkType: status.migration.networkType || status.networkType,
      ...(status.migration.mtu ? { mtuMigration: status.migration.mtu } : {}),
    };
  }
  return { networkType: status.networkType };
}

const dataUrl = (text: string) => "data:," + encodeURIComponent(text);

function file(path: string, text: string, mode = 0o755): Obj {
  return { path, mode, overwrite: true, contents: { source: dataUrl(text) } };
}

export function ovsConfigurationUnit(networkType: string): Obj {
  return {
    name: "ovs-configuration.service",
    enabled: networkType === "OVNKubernetes" || networkType === "OpenShiftSDN",
    contents: `[Unit]
Description=Configures OVS with proper host networking configuration
# This service is used to move a physical NIC into OVS and reconfigure OVS to use the host IP
Requires=openvswitch.service
Wants=NetworkManager-wait-online.service
After=firstboot-osupdate.target
After=NetworkManager-wait-online.service openvswitch.service network.service nodeip-configuration.service nmstate.service
Before=kubelet-dependencies.target node-valid-hostname.service

[Service]
# Need oneshot to delay kubelet
Type=oneshot
ExecStart=/usr/local/bin/configure-ovs.sh ${networkType}
StandardOutput=journal+console
StandardError=journal+console

[Install]
RequiredBy=kubelet-dependencies.target
`,
  };
}

export function mtuMigrationUnit(networkType: string, mtu: MtuMigration): Obj {
  const v = (x: number | undefined) => (x === undefined ? "" : String(x));
  return {
    name: "mtu-migration.service",
    enabled: true,
    contents: `[Unit]
Description=Configures interfaces and routes with temporary MTUs during MTU migration
Requires=openvswitch.service ovs-configuration.service
Wants=NetworkManager-wait-online.service
After=NetworkManager-wait-online.service openvswitch.service network.service ovs-configuration.service
Before=kubelet-dependencies.target node-valid-hostname.service

[Service]
# Need oneshot to delay kubelet
Type=oneshot
Environment=NETWORK_TYPE=${networkType}
Environment=TARGET_MTU=${v(mtu.machine?.to)}
Environment=CURRENT_MTU=${v(mtu.machine?.from)}
Environment=CNI_TARGET_MTU=${v(mtu.network?.to)}
ExecStart=/usr/local/bin/mtu-migration.sh
StandardOutput=journal+console
StandardError=journal+console

[Install]
WantedBy=kubelet-dependencies.target
`,
  };
}

const CONFIGURE_OVS = `#!/bin/bash
set -eux
# This file is not needed anymore in 4.7+, but when rolling back to 4.6
# the ovs pod needs it to know ovs is running on the host.
touch /var/run/ovs-config-executed
NM_CONN_ETC_PATH="/etc/NetworkManager/system-connections"
NM_CONN_RUN_PATH="/run/NetworkManager/system-connections"
# ... (abridged) ...
if [ "$1" == "OVNKubernetes" ]; then
  # Configures NICs onto OVS bridge "br-ex"
  convert_to_bridge "$iface" "br-ex" "phys0" "\${BRIDGE_METRIC}"
elif [ "$1" == "OpenShiftSDN" ]; then
  # Revert changes made by /usr/local/bin/configure-ovs.sh during SDN migration.
  rollback_nm
  # Remove bridges created by ovn-kubernetes
  ovs-vsctl --timeout=30 --if-exists del-br br-ex
fi
`;

const MTU_MIGRATION = `#!/bin/bash
set -ex
# Sets the MTU of the uplink and br-ex to TARGET_MTU and the routes to CNI_TARGET_MTU during an MTU migration.
# ... (abridged) ...
`;

function baseUnits(): Obj[] {
  return [
    { name: "kubelet-dependencies.target", contents: "[Unit]\nDescription=Dependencies necessary to run kubelet\n" },
    { name: "crio.service", dropins: [{ name: "10-mco-default-env.conf", contents: "[Service]\n" }] },
    { name: "openvswitch.service", enabled: true },
  ];
}

function kubeletUnit(role: string): Obj {
  const labels = role === "master"
    ? "node-role.kubernetes.io/control-plane,node-role.kubernetes.io/master,node.openshift.io/os_id=${ID}"
    : `node-role.kubernetes.io/${role},node.openshift.io/os_id=\${ID}`;
  return {
    name: "kubelet.service",
    enabled: true,
    contents: `[Unit]
Description=Kubernetes Kubelet
Requires=crio.service kubelet-dependencies.target
After=kubelet-dependencies.target
After=ostree-finalize-staged.service

[Service]
Type=notify
ExecStart=/usr/bin/kubelet \\
    --config=/etc/kubernetes/kubelet.conf \\
    --bootstrap-kubeconfig=/etc/kubernetes/kubeconfig \\
    --kubeconfig=/var/lib/kubelet/kubeconfig \\
    --container-runtime-endpoint=/var/run/crio/crio.sock \\
    --node-labels=${labels} \\
    --node-ip=\${KUBELET_NODE_IP} \\
    --v=\${KUBELET_LOG_LEVEL}

Restart=always
RestartSec=10

[Install]
WantedBy=multi-user.target
`,
  };
}

export function ignition(units: Obj[], files: Obj[] = []): Obj {
  return { ignition: { version: "3.4.0" }, storage: { files }, systemd: { units } };
}

/** The MachineConfigs the template controller owns for one role. */
export function templateMachineConfigs(role: string, inputs: ControllerConfigInputs): Obj[] {
  const units = [...baseUnits(), ovsConfigurationUnit(inputs.networkType)];
  const files = [file("/usr/local/bin/configure-ovs.sh", CONFIGURE_OVS)];
  if (inputs.mtuMigration) {
    units.push(mtuMigrationUnit(inputs.networkType, inputs.mtuMigration));
    files.push(file("/usr/local/bin/mtu-migration.sh", MTU_MIGRATION));
  }
  const mc = (name: string, config: Obj, extra: Obj = {}): Obj => ({
    apiVersion: "machineconfiguration.openshift.io/v1",
    kind: "MachineConfig",
    metadata: {
      name,
      labels: { [ROLE_LABEL]: role },
      annotations: { [GENERATED_BY]: CONTROLLER_VERSION },
      ownerReferences: [{
        apiVersion: "machineconfiguration.openshift.io/v1",
        kind: "ControllerConfig",
        name: "machine-config-controller",
        uid: "8f5c3a52-6c1b-4c44-9b6e-0e2f7d1c9a10",
        controller: true,
        blockOwnerDeletion: true,
      }],
    },
    spec: {
      config,
      extensions: [],
      fips: false,
      kernelArguments: [],
      kernelType: "",
      osImageURL: "",
      ...extra,
    },
  });
  return [
    mc(`00-${role}`, ignition(units, files)),
    mc(
      `01-${role}-container-runtime`,
      ignition([], [file("/etc/containers/registries.conf", "unqualified-search-registries = []\n", 0o644)]),
    ),
    mc(`01-${role}-kubelet`, ignition([kubeletUnit(role)])),
    mc(
      `97-${role}-generated-kubelet`,
      ignition([], [file("/etc/node-sizing-enabled.env", "NODE_SIZING_ENABLED=false\n", 0o644)]),
    ),
    mc(`99-${role}-generated-registries`, ignition([])),
    {
      ...mc(`99-${role}-ssh`, {
        ignition: { version: "3.2.0" },
        passwd: { users: [{ name: "core", sshAuthorizedKeys: [] }] },
      }),
      metadata: { name: `99-${role}-ssh`, labels: { [ROLE_LABEL]: role } },
    },
  ];
}

/** Merges MachineConfigs (sorted by name, later wins per unit name / file path) into one rendered spec. */
export function mergeConfigs(mcs: Obj[], osImageURL: string): Obj {
  const units = new Map<string, Obj>();
  const files = new Map<string, Obj>();
  const users = new Map<string, Obj>();
  for (const mc of [...mcs].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1))) {
    const cfg = mc.spec?.config ?? {};
    for (const u of cfg.systemd?.units ?? []) units.set(u.name, u);
    for (const f of cfg.storage?.files ?? []) files.set(f.path, f);
    for (const u of cfg.passwd?.users ?? []) users.set(u.name, u);
  }
  const config = ignition([...units.values()], [...files.values()]);
  if (users.size) config.passwd = { users: [...users.values()] };
  return {
    config,
    extensions: [],
    fips: false,
    kernelArguments: [],
    kernelType: "default",
    osImageURL,
  };
}
