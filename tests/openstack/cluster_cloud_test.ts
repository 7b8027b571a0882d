/** The cloud built from the cluster's own credentials, as the Cluster Network Operator builds it. */
import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors.ts";
import { clearSecrets, redact } from "../../lib/redact.ts";
import { cloudFromClusterCredentials, CLUSTER_CLOUD } from "../../lib/openstack/cluster_cloud.ts";

// What the installer puts in the Secret: cloud "openstack", the CA path of the nodes.
const SECRET_CLOUDS = `clouds:
  openstack:
    auth:
      auth_url: https://keystone.example.com:13000
      application_credential_id: 0a1b2c
      application_credential_secret: cluster-app-secret
    auth_type: v3applicationcredential
    cacert: /etc/kubernetes/static-pod-resources/configmaps/cloud-config/ca-bundle.pem
    identity_api_version: "3"
    region_name: regionOne
`;
const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

Deno.test("the Secret's cloud openstack, trusting the ConfigMap's CA instead of the nodes' path", () => {
  clearSecrets();
  const cloud = cloudFromClusterCredentials({ cloudsYaml: SECRET_CLOUDS, caBundle: CA });
  assert.equal(cloud.name, "openstack");
  assert.equal(cloud.authType, "v3applicationcredential");
  assert.equal(cloud.auth.applicationCredentialId, "0a1b2c");
  assert.equal(cloud.regionName, "regionOne");
  assert.deepEqual(cloud.tls, { verify: true, caPem: CA });
  assert.equal(
    cloud.source.description,
    "Secret openshift-network-operator/installer-cloud-credentials (key clouds.yaml)",
  );
  assert.equal(redact("cluster-app-secret"), "[REDACTED]");
  // Without a CA bundle (publicly trusted certificates): no extra CA.
  assert.equal(cloudFromClusterCredentials({ cloudsYaml: SECRET_CLOUDS, caBundle: "  \n" }).tls.caPem, undefined);
  assert.deepEqual(
    [
      CLUSTER_CLOUD.secretNamespace,
      CLUSTER_CLOUD.secretName,
      CLUSTER_CLOUD.caConfigMapNamespace,
      CLUSTER_CLOUD.caConfigMapName,
      CLUSTER_CLOUD.caKey,
    ],
    [
      "openshift-network-operator",
      "installer-cloud-credentials",
      "openshift-config",
      "cloud-provider-config",
      "ca-bundle.pem",
    ],
  );
});

Deno.test("password clouds work the same; a Secret without cloud openstack or with bad YAML is a clear error", () => {
  const pw = cloudFromClusterCredentials({
    cloudsYaml: `clouds:
  openstack:
    auth: {auth_url: "https://k/v3", username: kuryr, password: kuryr-pass-1, project_id: p1, user_domain_name: Default}
`,
  });
  assert.equal(pw.auth.username, "kuryr");
  assert.equal(pw.auth.projectId, "p1");
  assert.throws(
    () => cloudFromClusterCredentials({ cloudsYaml: "clouds:\n  other: {auth: {}}\n" }),
    (err: ConfigError) =>
      err instanceof ConfigError && /has no cloud named openstack \(clouds: other\)/.test(err.message),
  );
  assert.throws(
    () => cloudFromClusterCredentials({ cloudsYaml: "clouds: [" }),
    (err: ConfigError) => err instanceof ConfigError && /is not valid YAML/.test(err.message),
  );
});
