/**
 * The simulated OpenStack under a Kuryr cluster: started by `startSim` (dynamically imported, only for
 * scenarios with an `openstack` section) in the same process and on the same SimClock as the Kubernetes API.
 */
import type { SimContext } from "../types.ts";
import type { SimPki } from "../server/server.ts";
import { keystoneProjectId, openstackId } from "../scenario/generate.ts";
import { OpenStackSpec } from "../scenario/schema.ts";
import { rebootNode } from "../controllers/node/reboot.ts";
import { Cloud, type Rec, type RegionCloud } from "./cloud.ts";
import { cloudsYaml, writeCloudsYaml } from "./clouds_yaml.ts";
import { addDecoys, DECOY_PROJECT } from "./decoys.ts";
import { OpenStackFaults } from "./faults.ts";
import { type CatalogEndpoint, endpointPrefix, Keystone, SERVICES } from "./keystone.ts";
import { handleNeutron, Neutron } from "./neutron.ts";
import { handleGlance, handleNova, Nova } from "./nova.ts";
import { handleOctavia, Octavia } from "./octavia.ts";
import { ADMIN_PROJECT, ensurePublicNetwork, populateCluster, type PopulateTarget } from "./populate.ts";
import { OpenStackRequestLog } from "./request_log.ts";
import { startOpenStackServer } from "./server.ts";

export { Cloud, OpenStackFaults, OpenStackRequestLog };

/** Credentials of the scenario's OpenStack users, for tests (the simulator never prints them). */
export interface SimOpenStackCredentials {
  username: string;
  password: string;
  userDomainName: string;
  projectName: string;
  projectDomainName: string;
  projectId: string;
  userId: string;
  applicationCredentialId: string;
  applicationCredentialName: string;
  applicationCredentialSecret: string;
  region: string;
}

/** The OpenStack side of a running simulator. */
export interface SimOpenStack {
  /** Keystone v3 auth URL, e.g. https://127.0.0.1:PORT/identity/v3 */
  authUrl: string;
  /** clouds.yaml written for this simulator (mode 0600), cacert included. */
  cloudsYamlPath: string;
  /** The default cloud's name in that file (password auth, project by name; the user is an admin). */
  cloudName: string;
  /** The application-credential cloud's name in that file. */
  appCredentialCloudName: string;
  /** A password cloud for a non-admin member of the same project (sees only its project). */
  memberCloudName: string;
  /** CA bundle (PEM file) the clouds.yaml points at. */
  caFile: string;
  credentials: SimOpenStackCredentials;
  /** The member user's password (same project, roles member and load-balancer_member). */
  memberPassword: string;
  /** The in-memory cloud, for tests to inspect and change (networks, ports, load balancers, servers …). */
  cloud: Cloud;
  requestLog: OpenStackRequestLog;
  /** Faults, changeable at run time (same fields as the scenario's `openstack.faults`). */
  faults: OpenStackFaults;
  /** Keystone (tokens issued, validation). */
  keystone: Keystone;
  /** `https://127.0.0.1:PORT` */
  origin: string;
  /** The cluster's tag, `openshiftClusterID=<infrastructureName>`. */
  clusterTag: string;
  stop(): Promise<void>;
}

export interface StartOpenStackOptions {
  ctx: SimContext;
  pki: SimPki;
  /** Where to write clouds.yaml; absent = a temporary directory removed on stop. */
  cloudsYamlPath?: string;
}

const CLOUD = "openstack";

function secret(bytes = 18): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...b)).replaceAll("+", "x").replaceAll("/", "y").replace(/=+$/, "");
}

export async function startOpenStack(opts: StartOpenStackOptions): Promise<SimOpenStack> {
  const { ctx } = opts;
  const spec = ctx.scenario.openstack ?? OpenStackSpec.parse({});
  const cloud = new Cloud(spec.regions);
  const main = cloud.main;
  const faults = new OpenStackFaults(spec.faults);
  const requestLog = new OpenStackRequestLog();
  const now = () => ctx.clock.now();

  // Identity: the cluster's project and admin user, a member, the decoy cluster's project, an admin project.
  const uid = (name: string) => openstackId("keystone", `user/${name}`).replaceAll("-", "");
  const projectId = keystoneProjectId(spec.projectName);
  for (
    const [name, description] of [
      [ADMIN_PROJECT, "Bootstrap project"],
      [spec.projectName, "OpenShift cluster project"],
      [DECOY_PROJECT, "Another OpenShift cluster"],
    ]
  ) {
    cloud.identity.projects.set(keystoneProjectId(name), {
      id: keystoneProjectId(name),
      name,
      domainId: "default",
      description,
    });
  }
  const password = secret();
  const memberPassword = secret();
  const admin = {
    id: uid(spec.username),
    name: spec.username,
    domainId: "default",
    password,
    roles: { [projectId]: ["admin", "member", "reader", "load-balancer_member"] },
  };
  cloud.identity.users.set(admin.id, admin);
  const member = {
    id: uid(`${spec.username}-member`),
    name: `${spec.username}-member`,
    domainId: "default",
    password: memberPassword,
    roles: { [projectId]: ["member", "reader", "load-balancer_member"] },
  };
  cloud.identity.users.set(member.id, member);
  const decoyUser = {
    id: uid(DECOY_PROJECT),
    name: DECOY_PROJECT,
    domainId: "default",
    password: secret(),
    roles: { [keystoneProjectId(DECOY_PROJECT)]: ["member", "load-balancer_member"] },
  };
  cloud.identity.users.set(decoyUser.id, decoyUser);
  const appCred = {
    id: openstackId("keystone", "appcred/oc-ovn-migrate").replaceAll("-", ""),
    name: "oc-ovn-migrate",
    userId: admin.id,
    projectId,
    secret: secret(24),
  };
  cloud.identity.appCredentials.set(appCred.id, appCred);

  // Services per region.
  const services = new Map<RegionCloud, { neutron: Neutron; octavia: Octavia; nova: Nova }>();
  const t = ctx.scenario.timings;
  for (const region of cloud.regions.values()) {
    const neutron = new Neutron(region, now);
    const octavia = new Octavia(region, neutron, {
      clock: ctx.clock,
      legacy: () => faults.value.octaviaLegacy,
      deleteSeconds: () => faults.value.loadBalancerDeleteSeconds,
      createSeconds: () => faults.value.loadBalancerCreateSeconds,
      pendingConflict: () => faults.value.pendingConflict,
    });
    const nova = new Nova(region, {
      clock: ctx.clock,
      reboot: (server: Rec, _type, back) => {
        const node = region.serverNodes.get(server.id);
        if (node && ctx.store.get("core/nodes", undefined, node)) {
          const never = faults.value.serversNeverReturn;
          if (
            (never.includes(server.name) || never.includes(node)) &&
            !ctx.scenario.faults.nodesNeverReturn.includes(node)
          ) {
            // The reboot controller's own fault: the node goes down and stays down.
            ctx.scenario.faults.nodesNeverReturn.push(node);
          }
          rebootNode(ctx, node);
        }
        // The hypervisor reports ACTIVE once the guest is booting again (the kubelet's new boot).
        ctx.clock.after((t.shutdownSeconds + t.rebootSeconds * 0.75) * 1000, back);
      },
    });
    services.set(region, { neutron, octavia, nova });
    const target: PopulateTarget = { cloud, region, neutron, octavia };
    ensurePublicNetwork(target);
    if (region === main) {
      neutron.create("security-groups", {
        id: openstackId(ctx.scenario.infrastructureName, "sg/default"),
        name: "default",
        description: "Default security group",
      }, projectId);
      // The cluster's own resources are no decoys, except the ones populate names a reason for (user FIPs …).
      populateCluster(target, ctx.store, ctx.scenario, (collection, rec, why) => {
        if (why) cloud.decoys.push({ region: region.name, collection, id: rec.id, name: rec.name ?? "", why });
      });
      if (spec.decoys) addDecoys(target, ctx.scenario);
    }
  }
  const applyNoServer = (names: string[]) => {
    for (const [serverId, node] of main.serverNodes) {
      if (names.includes(node)) {
        main.servers.delete(serverId);
        main.serverNodes.delete(serverId);
      }
    }
  };
  applyNoServer(spec.faults.nodesWithoutServer);
  faults.onChange((f, before) => {
    applyNoServer(f.nodesWithoutServer);
    if (f.loadBalancerDeleteSeconds !== before.loadBalancerDeleteSeconds) {
      for (const s of services.values()) s.octavia.retimeDeletions();
    }
  });

  let origin = "";
  const endpoints = (type: string): CatalogEndpoint[] => {
    const svc = SERVICES.find((s) => s.type === type)!;
    const out: CatalogEndpoint[] = [];
    for (const region of spec.regions) {
      for (const iface of ["public", "internal"] as const) {
        // Keystone is global: every region's identity endpoint is the same.
        const p = type === "identity"
          ? endpointPrefix(main.name, iface, main.name)
          : endpointPrefix(region, iface, main.name);
        out.push({ region, interface: iface, url: `${origin}${p}${svc.path}` });
      }
    }
    return out;
  };
  const keystone = new Keystone(cloud, ctx.clock, () => faults.value.tokenTtlSeconds, endpoints, () => origin);
  const server = await startOpenStackServer({
    cloud,
    keystone,
    faults,
    requestLog,
    pki: opts.pki,
    log: (m) => ctx.log("openstack", m),
    handlers: {
      network: (req) => handleNeutron(req, services.get(req.region)!.neutron),
      "load-balancer": (req) => handleOctavia(req, services.get(req.region)!.octavia),
      compute: (req) => handleNova(req, services.get(req.region)!.nova),
      image: (req) => handleGlance(req),
    },
  });
  origin = server.origin;
  const authUrl = `${origin}/identity/v3`;

  const temp = !opts.cloudsYamlPath;
  const dir = temp ? await Deno.makeTempDir({ prefix: "sim-openstack-" }) : undefined;
  const cloudsYamlPath = opts.cloudsYamlPath ?? `${dir}/clouds.yaml`;
  const caFile = `${cloudsYamlPath.replace(/[^/]*$/, "") || "./"}${temp ? "ca.crt" : "sim-openstack-ca.crt"}`;
  try {
    await Deno.writeTextFile(caFile, opts.pki.caPem);
    await writeCloudsYaml(
      cloudsYamlPath,
      cloudsYaml({
        authUrl,
        caFile,
        region: main.name,
        clouds: [
          {
            name: CLOUD,
            authType: "password",
            auth: {
              username: admin.name,
              password,
              user_domain_name: "Default",
              project_name: spec.projectName,
              project_domain_name: "Default",
            },
          },
          {
            name: `${CLOUD}-appcred`,
            authType: "v3applicationcredential",
            auth: { application_credential_id: appCred.id, application_credential_secret: appCred.secret },
          },
          {
            name: `${CLOUD}-member`,
            authType: "password",
            auth: {
              username: member.name,
              password: memberPassword,
              user_domain_name: "Default",
              project_name: spec.projectName,
              project_domain_name: "Default",
            },
          },
        ],
      }),
    );
  } catch (e) {
    await server.close();
    throw e;
  }

  let stopped = false;
  return {
    authUrl,
    cloudsYamlPath,
    cloudName: CLOUD,
    appCredentialCloudName: `${CLOUD}-appcred`,
    memberCloudName: `${CLOUD}-member`,
    caFile,
    credentials: {
      username: admin.name,
      password,
      userDomainName: "Default",
      projectName: spec.projectName,
      projectDomainName: "Default",
      projectId,
      userId: admin.id,
      applicationCredentialId: appCred.id,
      applicationCredentialName: appCred.name,
      applicationCredentialSecret: appCred.secret,
      region: main.name,
    },
    memberPassword,
    cloud,
    requestLog,
    faults,
    keystone,
    origin,
    clusterTag: `openshiftClusterID=${ctx.scenario.infrastructureName}`,
    async stop() {
      if (stopped) return;
      stopped = true;
      await server.close();
      // A clouds.yaml the caller placed stays, with its CA file; a temporary one goes.
      if (temp && dir) await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
