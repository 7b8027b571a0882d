/**
 * The cloud a Kuryr cluster itself uses, built the way the Cluster Network Operator builds it
 * (cluster-network-operator `pkg/platform/openstack/kuryr_bootstrap.go`: `GetCloudFromSecret`,
 * `getCloudProviderCACert`): cloud `openstack` of the `clouds.yaml` key of Secret
 * `openshift-network-operator/installer-cloud-credentials`, trusting the CA bundle in key `ca-bundle.pem` of
 * ConfigMap `openshift-config/cloud-provider-config` in addition to the system roots.
 *
 * A pure function from those texts: reading them from the cluster is the caller's, and using the cluster's
 * credentials is opt-in (the default is the user's own clouds.yaml).
 */
import { load } from "js-yaml";
import { ConfigError } from "../errors.ts";
import { type CloudConfig, normalizeCloud, registerRawSecrets } from "./cloud_config.ts";

/** Where the cluster keeps its OpenStack credentials and CA. */
export const CLUSTER_CLOUD = {
  secretNamespace: "openshift-network-operator",
  secretName: "installer-cloud-credentials",
  secretKey: "clouds.yaml",
  cloudName: "openstack",
  caConfigMapNamespace: "openshift-config",
  caConfigMapName: "cloud-provider-config",
  caKey: "ca-bundle.pem",
} as const;

export interface ClusterCloudInput {
  /** The Secret's `clouds.yaml` value, decoded from base64. */
  cloudsYaml: string;
  /** The ConfigMap's `ca-bundle.pem` value; absent or empty when the cloud's certificates are publicly trusted. */
  caBundle?: string;
}

const SOURCE = `Secret ${CLUSTER_CLOUD.secretNamespace}/${CLUSTER_CLOUD.secretName} (key ${CLUSTER_CLOUD.secretKey})`;

export function cloudFromClusterCredentials(input: ClusterCloudInput): CloudConfig {
  let doc: unknown;
  try {
    doc = load(input.cloudsYaml);
  } catch (err) {
    throw new ConfigError(
      `The ${SOURCE} is not valid YAML: ${(err instanceof Error ? err.message : String(err)).split("\n")[0]}.`,
      "Use your own clouds.yaml instead (--os-cloud), or repair the Secret.",
    );
  }
  if (doc && typeof doc === "object") registerRawSecrets(doc as Record<string, unknown>);
  const clouds = (doc as { clouds?: Record<string, unknown> } | null)?.clouds;
  const entry = clouds?.[CLUSTER_CLOUD.cloudName];
  if (!entry || typeof entry !== "object") {
    const names = clouds && typeof clouds === "object" ? Object.keys(clouds) : [];
    throw new ConfigError(
      `The ${SOURCE} has no cloud named ${CLUSTER_CLOUD.cloudName} (clouds: ${names.join(", ") || "none"}).`,
      "Use your own clouds.yaml instead (--os-cloud).",
    );
  }
  // cacert, cert and key in the Secret are paths on the cluster's nodes, meaningless here: the CA comes from
  // the ConfigMap, as the operator takes it.
  const { cacert: _c, cert: _ce, key: _k, ...rest } = entry as Record<string, unknown>;
  const cloud = normalizeCloud(CLUSTER_CLOUD.cloudName, rest, { description: SOURCE }, {
    fixWhere: `in the ${SOURCE}`,
  });
  const ca = input.caBundle?.trim() ? input.caBundle : undefined;
  return { ...cloud, tls: { verify: cloud.tls.verify, caPem: cloud.tls.verify ? ca : undefined } };
}
