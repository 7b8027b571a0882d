/** A clouds.yaml entry normalised as openstacksdk does, and what the client refuses with a clear message. */
import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors.ts";
import { clearSecrets, redact } from "../../lib/redact.ts";
import { mergeDeep, normalizeCloud, normalizeInterface } from "../../lib/openstack/cloud_config.ts";

const SRC = { description: "/etc/x/clouds.yaml" };

const base = {
  auth: {
    auth_url: "https://k.example.com:5000/v3",
    username: "alice",
    password: "alice-secret-pw",
    project_name: "ocp",
    user_domain_name: "Default",
    project_domain_name: "Default",
  },
};

function refuses(entry: Record<string, unknown>, ...fragments: string[]) {
  let caught: unknown;
  try {
    normalizeCloud("c1", entry, SRC);
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ConfigError, `expected ConfigError, got ${caught}`);
  const text = `${caught.message} ${caught.hint}`;
  assert.ok(text.includes("OpenStack cloud c1 (/etc/x/clouds.yaml)"), text);
  for (const f of fragments) assert.ok(text.includes(f), `missing ${f} in ${text}`);
}

Deno.test("password, v3password and v3applicationcredential are accepted; other auth types refused by name", () => {
  assert.equal(normalizeCloud("c1", base, SRC).authType, "password");
  assert.equal(normalizeCloud("c1", { ...base, auth_type: "v3password" }, SRC).authType, "password");
  const app = normalizeCloud("c1", {
    auth_type: "v3applicationcredential",
    auth: { auth_url: "https://k/v3", application_credential_id: "id1", application_credential_secret: "s3cr3t-app" },
  }, SRC);
  assert.equal(app.authType, "v3applicationcredential");
  for (const t of ["token", "v3oidcpassword", "v2password", "v3totp", "admin_token"]) {
    refuses({ ...base, auth_type: t }, `auth_type ${t} is not supported`, "password (or v3password)");
  }
  // auth_plugin is the old spelling; auth_type wins over it.
  refuses({ ...base, auth_plugin: "token" }, "auth_type token");
  assert.equal(
    normalizeCloud("c1", { ...base, auth_plugin: "token", auth_type: "password" }, SRC).authType,
    "password",
  );
});

Deno.test("domain_name/domain_id default both domains of a project-scoped cloud", () => {
  const c = normalizeCloud("c1", {
    auth: { auth_url: "https://k/v3", username: "u", password: "pw-123456", project_name: "p", domain_name: "Corp" },
  }, SRC);
  assert.equal(c.auth.userDomainName, "Corp");
  assert.equal(c.auth.projectDomainName, "Corp");
  const mixed = normalizeCloud("c1", {
    auth: {
      auth_url: "https://k/v3",
      username: "u",
      password: "pw-123456",
      project_name: "p",
      domain_id: "d-default",
      user_domain_name: "Users",
    },
  }, SRC);
  assert.equal(mixed.auth.userDomainName, "Users", "an explicit user domain wins");
  assert.equal(mixed.auth.userDomainId, undefined);
  assert.equal(mixed.auth.projectDomainId, "d-default");
});

Deno.test("keys with dashes, top-level auth keys and tenant_* are read like openstacksdk reads them", () => {
  const c = normalizeCloud("c1", {
    "auth-url": "ignored-when-auth-has-it",
    auth: {
      "auth-url": "https://k/v3",
      username: "u",
      "user-domain-name": "Default",
      "tenant-name": "legacy",
    },
    password: "top-level-password",
    project_domain_id: "default",
  }, SRC);
  assert.equal(c.auth.authUrl, "https://k/v3", "auth wins over the top level for plugin options");
  assert.equal(c.auth.password, "top-level-password", "the top level fills in");
  assert.equal(c.auth.projectName, "legacy");
  assert.equal(c.auth.projectDomainId, "default");
  // _fix_backwards_auth: a top-level project beats the auth section's (CLI/environment overrides).
  const over = normalizeCloud("c1", { ...base, project_name: "from-top" }, SRC);
  assert.equal(over.auth.projectName, "from-top");
});

Deno.test("interface: default public, publicURL-style values normalised, endpoint_type read, bad values refused", () => {
  assert.equal(normalizeCloud("c1", base, SRC).interface, "public");
  assert.equal(normalizeCloud("c1", { ...base, interface: "internalURL" }, SRC).interface, "internal");
  assert.equal(normalizeCloud("c1", { ...base, endpoint_type: "adminURL" }, SRC).interface, "admin");
  assert.equal(normalizeCloud("c1", { ...base, endpoint_type: "admin", interface: "public" }, SRC).interface, "public");
  assert.equal(normalizeInterface("publicURL"), "public");
  refuses({ ...base, interface: "private" }, "interface private is not one of public, internal, admin");
});

Deno.test("TLS: cacert (with ~), cert/key, verify false and insecure true", () => {
  const c = normalizeCloud("c1", { ...base, cacert: "~/ca.pem", cert: "/c.pem", key: "/k.pem" }, SRC, {
    home: "/home/a",
  });
  assert.deepEqual(c.tls, { verify: true, caFile: "/home/a/ca.pem", certFile: "/c.pem", keyFile: "/k.pem" });
  assert.equal(normalizeCloud("c1", { ...base, verify: false }, SRC).tls.verify, false);
  assert.equal(normalizeCloud("c1", { ...base, insecure: "True" }, SRC).tls.verify, false);
  assert.equal(normalizeCloud("c1", { ...base, insecure: true, verify: true }, SRC).tls.verify, false);
  // A CA is pointless without verification (openstacksdk ignores it too).
  assert.equal(normalizeCloud("c1", { ...base, verify: false, cacert: "/ca" }, SRC).tls.caFile, undefined);
  refuses({ ...base, key: "/k.pem" }, "key is set without cert");
});

Deno.test("region: region_name, its deprecated comma list, or the first of regions", () => {
  assert.equal(normalizeCloud("c1", { ...base, region_name: "RegionTwo" }, SRC).regionName, "RegionTwo");
  assert.equal(normalizeCloud("c1", { ...base, region_name: "R1,R2" }, SRC).regionName, "R1");
  assert.equal(normalizeCloud("c1", { ...base, regions: ["A", "B"] }, SRC).regionName, "A");
  assert.equal(normalizeCloud("c1", { ...base, regions: [{ name: "Z", values: {} }] }, SRC).regionName, "Z");
  assert.equal(normalizeCloud("c1", base, SRC).regionName, undefined);
});

Deno.test("Keystone v2 and missing pieces are refused with what to set", () => {
  refuses({ ...base, identity_api_version: "2.0" }, "identity_api_version 2.0 is not supported");
  assert.equal(normalizeCloud("c1", { ...base, identity_api_version: 3 }, SRC).name, "c1");
  refuses({ auth: { ...base.auth, auth_url: "https://k/v2.0" } }, "is Keystone v2");
  refuses({ auth: { ...base.auth, auth_url: undefined } }, "no auth_url");
  refuses({ auth: { ...base.auth, auth_url: "keystone:5000" } }, "is not an http(s) URL");
  refuses({ auth: { ...base.auth, password: undefined } }, "no password", "secure.yaml");
  refuses({ auth: { ...base.auth, username: undefined } }, "no user");
  refuses({ auth: { ...base.auth, project_name: undefined } }, "no project");
  refuses({ auth: { ...base.auth, project_domain_name: undefined } }, "project ocp has no domain");
  const app = { auth_type: "v3applicationcredential", auth: { auth_url: "https://k/v3" } };
  refuses(app, "no application_credential_secret");
  refuses({ ...app, auth: { ...app.auth, application_credential_secret: "sssssssss" } }, "no application credential");
  refuses(
    { ...app, auth: { ...app.auth, application_credential_secret: "sssssssss", application_credential_name: "n" } },
    "application credential n is named without its user",
  );
  // By name with a user id, or a user name and domain: fine.
  const byName = normalizeCloud("c1", {
    ...app,
    auth: {
      ...app.auth,
      application_credential_secret: "sssssssss",
      application_credential_name: "n",
      username: "u",
      user_domain_name: "Default",
    },
  }, SRC);
  assert.equal(byName.auth.applicationCredentialName, "n");
});

Deno.test("passwords and application-credential secrets are registered for redaction when read", () => {
  clearSecrets();
  normalizeCloud("c1", base, SRC);
  normalizeCloud("c2", {
    auth_type: "v3applicationcredential",
    auth: {
      auth_url: "https://k/v3",
      application_credential_id: "id",
      application_credential_secret: "app-secret-xyz",
    },
  }, SRC);
  assert.equal(redact("alice-secret-pw and app-secret-xyz"), "[REDACTED] and [REDACTED]");
});

Deno.test("mergeDeep merges mappings and replaces the rest", () => {
  assert.deepEqual(
    mergeDeep({ a: { b: 1, c: [1] }, d: "x" }, { a: { c: [2], e: { f: 1 } }, d: "y" }),
    { a: { b: 1, c: [2], e: { f: 1 } }, d: "y" },
  );
});
