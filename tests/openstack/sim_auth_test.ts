/**
 * Every configuration form authenticates against the simulated Keystone (and its token works on Neutron),
 * Keystone's refusals and a missing regional endpoint are clear configuration errors.
 */
import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors.ts";
import { ExitCode } from "../../lib/exit_codes.ts";
import type { CloudConfig } from "../../lib/openstack/cloud_config.ts";
import { createOpenStackClient } from "../../lib/openstack/client.ts";
import { discoverCloud } from "../../lib/openstack/clouds_yaml.ts";
import { cloudFromClusterCredentials } from "../../lib/openstack/cluster_cloud.ts";
import { OpenStackError } from "../../lib/openstack/errors.ts";
import type { SimOpenStack } from "../../sim/openstack/mod.ts";
import { simCloud, withKuryrSim, writeClouds } from "./sim_helpers.ts";

/** Authenticates, checks the token's project, and makes one Neutron call with it. */
async function works(os: SimOpenStack, cloud: CloudConfig): Promise<void> {
  const client = await createOpenStackClient(cloud);
  try {
    const who = await client.authenticate();
    assert.equal(who.projectId, os.credentials.projectId, `cloud ${cloud.name}: project`);
    assert.ok(who.services.includes("network") && who.services.includes("load-balancer"), who.services.join(","));
    const nets = await client.neutron.networks.list({ tags: [os.clusterTag] });
    assert.ok(nets.length > 0, `cloud ${cloud.name}: tagged networks visible`);
  } finally {
    client.close();
  }
}

/** A cloud from clouds.yaml text (and optionally secure.yaml text), found through discovery. */
async function fromYaml(clouds: string, secure?: string, name = "c"): Promise<CloudConfig> {
  const dir = await writeClouds(secure ? { "clouds.yaml": clouds, "secure.yaml": secure } : { "clouds.yaml": clouds });
  try {
    return discoverCloud({ env: {}, cwd: dir, home: "/nonexistent", systemDirs: [], cloudName: name }).cloud;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("password clouds: by names (the simulator's clouds.yaml), by ids, domain_name for both domains, secure.yaml", async () => {
  await withKuryrSim(async (os) => {
    const c = os.credentials;
    await works(os, simCloud(os));
    await works(
      os,
      await fromYaml(`clouds:
  c:
    auth: {auth_url: "${os.authUrl}", user_id: "${c.userId}", password: "${c.password}", project_id: "${c.projectId}"}
    cacert: ${os.caFile}
`),
    );
    await works(
      os,
      await fromYaml(`clouds:
  c:
    auth:
      auth_url: "${os.authUrl}"
      username: ${c.username}
      password: "${c.password}"
      project_name: ${c.projectName}
      domain_name: ${c.userDomainName}
    cacert: ${os.caFile}
`),
    );
    const merged = await fromYaml(
      `clouds:
  c:
    auth:
      auth_url: "${os.authUrl}"
      username: ${c.username}
      project_name: ${c.projectName}
      user_domain_name: ${c.userDomainName}
      project_domain_name: ${c.projectDomainName}
    region_name: ${c.region}
    cacert: ${os.caFile}
`,
      `clouds:\n  c:\n    auth:\n      password: "${c.password}"\n`,
    );
    assert.ok(merged.source.secureFile?.endsWith("/secure.yaml"));
    await works(os, merged);
  });
});

Deno.test("application credentials: by id (the simulator's clouds.yaml), by name with the user's name or id", async () => {
  await withKuryrSim(async (os) => {
    const c = os.credentials;
    await works(os, simCloud(os, os.appCredentialCloudName));
    await works(
      os,
      await fromYaml(`clouds:
  c:
    auth_type: v3applicationcredential
    auth:
      auth_url: "${os.authUrl}"
      application_credential_name: ${c.applicationCredentialName}
      application_credential_secret: "${c.applicationCredentialSecret}"
      username: ${c.username}
      user_domain_name: ${c.userDomainName}
    cacert: ${os.caFile}
`),
    );
    await works(
      os,
      await fromYaml(`clouds:
  c:
    auth_type: v3applicationcredential
    auth:
      auth_url: "${os.authUrl}"
      application_credential_name: ${c.applicationCredentialName}
      application_credential_secret: "${c.applicationCredentialSecret}"
      user_id: ${c.userId}
    cacert: ${os.caFile}
`),
    );
  });
});

Deno.test("the OS_* variables (auth_url without /v3, legacy names) form a working envvars cloud", async () => {
  await withKuryrSim(async (os) => {
    const c = os.credentials;
    const unversioned = os.authUrl.replace(/\/v3$/, "");
    const env = {
      OS_AUTH_URL: unversioned,
      OS_USERNAME: c.username,
      OS_PASSWORD: c.password,
      OS_TENANT_NAME: c.projectName,
      OS_USER_DOMAIN_NAME: c.userDomainName,
      OS_PROJECT_DOMAIN_NAME: c.projectDomainName,
      OS_REGION_NAME: c.region,
      OS_ENDPOINT_TYPE: "publicURL",
      OS_CACERT: os.caFile,
    };
    const found = discoverCloud({ env, cwd: "/nonexistent", home: "/nonexistent", systemDirs: [] });
    assert.equal(found.cloud.name, "envvars");
    await works(os, found.cloud);
    const app = discoverCloud({
      env: {
        OS_AUTH_TYPE: "v3applicationcredential",
        OS_AUTH_URL: os.authUrl,
        OS_APPLICATION_CREDENTIAL_ID: c.applicationCredentialId,
        OS_APPLICATION_CREDENTIAL_SECRET: c.applicationCredentialSecret,
        OS_CACERT: os.caFile,
      },
      cwd: "/nonexistent",
      systemDirs: [],
    });
    await works(os, app.cloud);
  });
});

Deno.test("TLS: verify false works without the CA; without the CA and verifying, exit 2 naming cacert", async () => {
  await withKuryrSim(async (os) => {
    const c = os.credentials;
    const yaml = (extra: string) =>
      `clouds:
  c:
    auth: {auth_url: "${os.authUrl}", user_id: "${c.userId}", password: "${c.password}", project_id: "${c.projectId}"}
${extra}`;
    await works(os, await fromYaml(yaml("    verify: false\n")));
    const client = await createOpenStackClient(await fromYaml(yaml("")));
    try {
      await assert.rejects(client.authenticate(), (err: OpenStackError) => {
        assert.equal(err.exitCode, ExitCode.UsageError);
        assert.match(
          err.message,
          /^Cannot verify the TLS certificate of Keystone at https:\/\/127.0.0.1:\d+ \(cloud c\)/,
        );
        return true;
      });
    } finally {
      client.close();
    }
  });
});

Deno.test("the cluster's own credentials (installer-cloud-credentials + cloud-provider-config CA) authenticate", async () => {
  await withKuryrSim(async (os) => {
    const c = os.credentials;
    const secretYaml = `clouds:
  openstack:
    auth:
      auth_url: ${os.authUrl}
      application_credential_id: "${c.applicationCredentialId}"
      application_credential_secret: "${c.applicationCredentialSecret}"
    auth_type: v3applicationcredential
    cacert: /etc/kubernetes/static-pod-resources/configmaps/cloud-config/ca-bundle.pem
    region_name: ${c.region}
`;
    await works(
      os,
      cloudFromClusterCredentials({ cloudsYaml: secretYaml, caBundle: await Deno.readTextFile(os.caFile) }),
    );
  });
});

Deno.test("a wrong password or secret: exit 2, naming the cloud and where it is configured", async () => {
  await withKuryrSim(async (os) => {
    const c = os.credentials;
    const cloud = await fromYaml(
      `clouds:
  mycloud:
    auth:
      auth_url: "${os.authUrl}"
      username: ${c.username}
      password: not-the-password
      project_name: ${c.projectName}
      user_domain_name: Default
      project_domain_name: Default
    cacert: ${os.caFile}
`,
      undefined,
      "mycloud",
    );
    const client = await createOpenStackClient(cloud);
    try {
      await assert.rejects(client.neutron.networks.list(), (err: OpenStackError) => {
        assert.ok(err instanceof OpenStackError);
        assert.equal(err.exitCode, ExitCode.UsageError);
        assert.equal(err.status, 401);
        assert.match(
          err.message,
          new RegExp(`^Keystone at ${os.authUrl} rejected the credentials of cloud mycloud \\(401`),
        );
        assert.ok(err.hint?.includes(`of cloud mycloud in ${cloud.source.description}`), String(err.hint));
        assert.ok(!err.message.includes("not-the-password") && !err.hint?.includes("not-the-password"));
        return true;
      });
    } finally {
      client.close();
    }
    const badSecret = await createOpenStackClient({
      ...simCloud(os, os.appCredentialCloudName),
      auth: { ...simCloud(os, os.appCredentialCloudName).auth, applicationCredentialSecret: "wrong-secret-value" },
    });
    try {
      await assert.rejects(badSecret.authenticate(), (err: OpenStackError) => {
        assert.equal(err.exitCode, ExitCode.UsageError);
        assert.match(err.message, new RegExp(`rejected the credentials of cloud ${os.appCredentialCloudName}`));
        assert.match(err.hint ?? "", /application credential/);
        return true;
      });
    } finally {
      badSecret.close();
    }
  });
});

Deno.test("regions and interfaces: RegionTwo and internal endpoints are used; a region without the service is a clear error", async () => {
  await withKuryrSim(async (os) => {
    const base = simCloud(os);
    const r2 = await createOpenStackClient({ ...base, regionName: "RegionTwo", interface: "internal" });
    try {
      const ep = await r2.session.endpoint("load-balancer");
      assert.equal(ep.region, "RegionTwo");
      assert.equal(ep.interface, "internal");
      await r2.octavia.listLoadBalancers();
      assert.ok(
        os.requestLog.records({ service: "load-balancer", region: "RegionTwo" }).some((r) =>
          r.interface === "internal"
        ),
        "the request went to RegionTwo's internal endpoint",
      );
    } finally {
      r2.close();
    }
    const r3 = await createOpenStackClient({ ...base, regionName: "RegionThree" });
    try {
      await assert.rejects(r3.octavia.listLoadBalancers(), (err: ConfigError) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.exitCode, ExitCode.UsageError);
        assert.equal(
          err.message,
          "No `load-balancer` endpoint in region RegionThree of cloud openstack (the catalog has it in: RegionOne, RegionTwo).",
        );
        assert.equal(
          err.hint,
          `Set region_name for cloud openstack in ${os.cloudsYamlPath} to one of: RegionOne, RegionTwo.`,
        );
        return true;
      });
    } finally {
      r3.close();
    }
  });
});
