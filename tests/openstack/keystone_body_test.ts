/** The Keystone v3 request bodies of every configuration form (procedures.md §4), and their log form. */
import assert from "node:assert/strict";
import { normalizeCloud } from "../../lib/openstack/cloud_config.ts";
import { authRequestBody, describeIdentity } from "../../lib/openstack/keystone.ts";
import { redactBody } from "../../lib/openstack/log.ts";

const SRC = { description: "test" };
const cloud = (entry: Record<string, unknown>) => normalizeCloud("c", entry, SRC);

Deno.test("password by names: user and project each with a domain", () => {
  const body = authRequestBody(cloud({
    auth: {
      auth_url: "https://k/v3",
      username: "U",
      password: "P-password",
      user_domain_name: "UD",
      project_name: "PN",
      project_domain_name: "PD",
    },
  }));
  assert.deepEqual(body, {
    auth: {
      identity: {
        methods: ["password"],
        password: { user: { name: "U", domain: { name: "UD" }, password: "P-password" } },
      },
      scope: { project: { name: "PN", domain: { name: "PD" } } },
    },
  });
});

Deno.test("password by ids, and domains by id", () => {
  assert.deepEqual(
    authRequestBody(
      cloud({ auth: { auth_url: "https://k", user_id: "uid", password: "P-password", project_id: "pid" } }),
    ),
    {
      auth: {
        identity: { methods: ["password"], password: { user: { id: "uid", password: "P-password" } } },
        scope: { project: { id: "pid" } },
      },
    },
  );
  const byDomainId = authRequestBody(cloud({
    auth: { auth_url: "https://k", username: "U", password: "P-password", project_name: "PN", domain_id: "default" },
  })) as { auth: { identity: { password: { user: unknown } }; scope: unknown } };
  assert.deepEqual(byDomainId.auth.identity.password.user, {
    name: "U",
    domain: { id: "default" },
    password: "P-password",
  });
  assert.deepEqual(byDomainId.auth.scope, { project: { name: "PN", domain: { id: "default" } } });
});

Deno.test("application credential by id, and by name with its user; never a scope", () => {
  const byId = authRequestBody(cloud({
    auth_type: "v3applicationcredential",
    auth: { auth_url: "https://k", application_credential_id: "ID", application_credential_secret: "S-secret" },
  }));
  assert.deepEqual(byId, {
    auth: {
      identity: { methods: ["application_credential"], application_credential: { id: "ID", secret: "S-secret" } },
    },
  });
  const byName = authRequestBody(cloud({
    auth_type: "v3applicationcredential",
    auth: {
      auth_url: "https://k",
      application_credential_name: "N",
      application_credential_secret: "S-secret",
      username: "U",
      user_domain_name: "UD",
      // A project in the file must not turn into a scope: Keystone refuses scoped application credentials.
      project_name: "ignored",
      project_domain_name: "ignored",
    },
  }));
  assert.deepEqual(byName, {
    auth: {
      identity: {
        methods: ["application_credential"],
        application_credential: { name: "N", user: { name: "U", domain: { name: "UD" } }, secret: "S-secret" },
      },
    },
  });
  const byUserId = authRequestBody(cloud({
    auth_type: "v3applicationcredential",
    auth: {
      auth_url: "https://k",
      application_credential_name: "N",
      application_credential_secret: "S-secret",
      user_id: "UID",
    },
  })) as { auth: { identity: { application_credential: unknown } } };
  assert.deepEqual(byUserId.auth.identity.application_credential, {
    name: "N",
    user: { id: "UID" },
    secret: "S-secret",
  });
  assert.equal(
    describeIdentity(cloud({
      auth_type: "v3applicationcredential",
      auth: {
        auth_url: "https://k",
        application_credential_name: "N",
        application_credential_secret: "S-secret",
        user_id: "UID",
      },
    })),
    "application credential N of user UID",
  );
});

Deno.test("the logged form of a body masks every credential field, wherever it is nested", () => {
  const body = {
    auth: {
      identity: {
        methods: ["password", "application_credential"],
        password: { user: { name: "U", password: "P-password" } },
        application_credential: { id: "ID", secret: "S-secret" },
      },
    },
  };
  const shown = JSON.stringify(redactBody(body));
  assert.ok(!shown.includes("P-password") && !shown.includes("S-secret"), shown);
  assert.ok(shown.includes('"name":"U"') && shown.includes('"id":"ID"'), "the rest stays readable");
  // The original is untouched.
  assert.equal(body.auth.identity.password.user.password, "P-password");
});
