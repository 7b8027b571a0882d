/**
 * From the user's settings to an OpenStack client: the cloud found as openstacksdk finds it (`--os-cloud`,
 * OS_CLOUD, clouds.yaml, OS_* variables), or — only when asked — the cluster's own credentials that CNO used.
 */
import { ConfigError } from "../errors.ts";
import { registerSecret } from "../redact.ts";
import { R } from "../kube/resources.ts";
import type { Kube } from "../kube/types.ts";
import type { Sleep } from "./retry.ts";
import { type CloudConfig } from "./cloud_config.ts";
import { createOpenStackClient, type OpenStackClient } from "./client.ts";
import { discoverCloud } from "./clouds_yaml.ts";
import { cloudFromClusterCredentials } from "./cluster_cloud.ts";
import type { OpenStackLogger } from "./log.ts";

/** Where the OpenStack credentials of a Kuryr cluster come from. */
export interface OpenStackOptions {
  /** `--os-cloud`: the cloud's name in clouds.yaml (wins over OS_CLOUD; default: the only cloud). */
  osCloud?: string;
  /** `--os-cluster-credentials`: Secret openshift-network-operator/installer-cloud-credentials (opt-in). */
  osClusterCredentials?: boolean;
}

export interface OpenStackHost {
  env: Record<string, string | undefined>;
  home?: string;
  cwd: string;
  logger?: OpenStackLogger;
  /** Waits of the client (retries, load-balancer polling): scaled against a simulated cloud. */
  sleep?: Sleep;
  signal?: AbortSignal;
  requestTimeoutMs?: number;
}

/** The cloud the user means, and where it came from (for messages), plus any warnings about files skipped. */
export async function findCloud(
  settings: OpenStackOptions,
  host: OpenStackHost,
  kube?: Pick<Kube, "get">,
): Promise<{ cloud: CloudConfig; origin: string; warnings: string[] }> {
  if (settings.osClusterCredentials) {
    if (!kube) throw new ConfigError("The cluster's OpenStack credentials need a cluster connection.");
    const secret = await kube.get(R.secret, "installer-cloud-credentials", "openshift-network-operator");
    const text = secret?.data?.["clouds.yaml"];
    if (typeof text !== "string") {
      throw new ConfigError(
        "Secret openshift-network-operator/installer-cloud-credentials has no clouds.yaml.",
        "Use your own clouds.yaml instead (drop --os-cluster-credentials; pass --os-cloud NAME).",
      );
    }
    registerSecret(text);
    const ca = await kube.get(R.configMap, "cloud-provider-config", "openshift-config");
    const cloud = cloudFromClusterCredentials({
      cloudsYaml: new TextDecoder().decode(Uint8Array.from(atob(text), (c) => c.charCodeAt(0))),
      caBundle: ca?.data?.["ca-bundle.pem"],
    });
    return {
      cloud,
      origin: "the cluster's Secret openshift-network-operator/installer-cloud-credentials",
      warnings: [],
    };
  }
  const found = discoverCloud({ env: host.env, home: host.home, cwd: host.cwd, cloudName: settings.osCloud });
  const origin = found.configFile ? `${found.configFile} (chosen by ${found.chosenBy})` : `the OS_* variables`;
  return { cloud: found.cloud, origin, warnings: found.warnings };
}

export async function connectOpenStack(
  settings: OpenStackOptions,
  host: OpenStackHost,
  kube?: Pick<Kube, "get">,
): Promise<OpenStackClient> {
  const { cloud } = await findCloud(settings, host, kube);
  return await createOpenStackClient(cloud, {
    logger: host.logger,
    sleep: host.sleep,
    signal: host.signal,
    requestTimeoutMs: host.requestTimeoutMs,
  });
}
