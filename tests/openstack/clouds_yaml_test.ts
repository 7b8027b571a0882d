/**
 * Configuration discovery the way openstacksdk does it: which file wins, secure.yaml merged in, the
 * environment cloud and its precedence, and errors that name what was searched.
 */
import assert from "node:assert/strict";
import { ConfigError } from "../../lib/errors.ts";
import { ExitCode } from "../../lib/exit_codes.ts";
import { clearSecrets, redact } from "../../lib/redact.ts";
import { discoverCloud, type DiscoveryOptions, searchDirs } from "../../lib/openstack/clouds_yaml.ts";

interface Layout {
  root: string;
  cwd: string;
  home: string;
  system: string;
  opts(env?: Record<string, string>, extra?: Partial<DiscoveryOptions>): DiscoveryOptions;
  write(path: string, text: string): string;
}

async function layout(): Promise<Layout> {
  const root = await Deno.makeTempDir({ prefix: "os-discovery-" });
  globalThis.addEventListener("unload", () => Deno.removeSync(root, { recursive: true }));
  const cwd = `${root}/work`, home = `${root}/home`, system = `${root}/etc/openstack`;
  for (const d of [cwd, home, system]) await Deno.mkdir(d, { recursive: true });
  return {
    root,
    cwd,
    home,
    system,
    opts: (env = {}, extra = {}) => ({ env, home, cwd, os: "linux", systemDirs: [system], ...extra }),
    write(path, text) {
      const full = path.startsWith("/") ? path : `${root}/${path}`;
      Deno.mkdirSync(full.slice(0, full.lastIndexOf("/")), { recursive: true });
      Deno.writeTextFileSync(full, text);
      return full;
    },
  };
}

const passwordCloud = (name: string, url = "https://keystone.example.com:5000/v3", extra = "") => `
  ${name}:
    auth:
      auth_url: ${url}
      username: alice
      password: alice-password-1
      project_name: ocp
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne${extra}
`;

function expectConfigError(fn: () => unknown, ...fragments: (string | RegExp)[]): ConfigError {
  let caught: unknown;
  try {
    fn();
  } catch (err) {
    caught = err;
  }
  assert.ok(caught instanceof ConfigError, `expected a ConfigError, got ${caught}`);
  assert.equal(caught.exitCode, ExitCode.UsageError);
  const text = `${caught.message}\n${caught.hint ?? ""}`;
  for (const f of fragments) {
    if (typeof f === "string") assert.ok(text.includes(f), `missing ${JSON.stringify(f)} in:\n${text}`);
    else assert.match(text, f);
  }
  return caught;
}

Deno.test("search order: OS_CLIENT_CONFIG_FILE, cwd, XDG config home, ~/.config/openstack, system dirs; .yaml/.yml/.json", async () => {
  const l = await layout();
  assert.deepEqual(searchDirs(l.opts()), [l.cwd, `${l.home}/.config/openstack`, l.system]);
  assert.deepEqual(searchDirs(l.opts({ XDG_CONFIG_HOME: `${l.root}/xdg` })), [
    l.cwd,
    `${l.root}/xdg/openstack`,
    `${l.home}/.config/openstack`,
    l.system,
  ]);
  // Defaults without an override: platformdirs' site dir then /etc/openstack.
  assert.deepEqual(searchDirs({ env: { XDG_CONFIG_DIRS: "/opt/xdg:/usr/xdg" }, home: "/h", cwd: "/w", os: "linux" }), [
    "/w",
    "/h/.config/openstack",
    "/opt/xdg/openstack",
    "/etc/openstack",
  ]);
  assert.deepEqual(searchDirs({ env: {}, home: "/h", cwd: "/w", os: "darwin" }), [
    "/w",
    "/h/Library/Application Support/openstack",
    "/h/.config/openstack",
    "/Library/Application Support/openstack",
    "/etc/openstack",
  ]);

  // Each location in turn wins over the ones after it.
  l.write(`${l.system}/clouds.yaml`, `clouds:\n${passwordCloud("sys")}`);
  assert.equal(discoverCloud(l.opts()).cloud.name, "sys");
  l.write(`${l.home}/.config/openstack/clouds.json`, JSON.stringify({ clouds: { homejson: { auth: {} } } }));
  l.write(`${l.home}/.config/openstack/clouds.yml`, `clouds:\n${passwordCloud("homeyml")}`);
  assert.equal(discoverCloud(l.opts()).cloud.name, "homeyml", ".yml is read, and before .json");
  l.write(`${l.cwd}/clouds.yaml`, `clouds:\n${passwordCloud("here")}`);
  const found = discoverCloud(l.opts());
  assert.equal(found.cloud.name, "here");
  assert.equal(found.configFile, `${l.cwd}/clouds.yaml`);
  assert.equal(found.chosenBy, "only cloud");
  const override = l.write("elsewhere/my-clouds.yaml", `clouds:\n${passwordCloud("override")}`);
  assert.equal(discoverCloud(l.opts({ OS_CLIENT_CONFIG_FILE: override })).cloud.name, "override");
});

Deno.test("a JSON clouds file is read", async () => {
  const l = await layout();
  l.write(
    `${l.home}/.config/openstack/clouds.json`,
    JSON.stringify({
      clouds: {
        j: {
          auth: {
            auth_url: "https://k/v3",
            user_id: "u1",
            password: "json-password",
            project_id: "p1",
          },
        },
      },
    }),
  );
  const { cloud } = discoverCloud(l.opts());
  assert.equal(cloud.name, "j");
  assert.equal(cloud.auth.userId, "u1");
  assert.equal(cloud.auth.projectId, "p1");
});

Deno.test("secure.yaml from another search directory is deep-merged over clouds.yaml", async () => {
  clearSecrets();
  const l = await layout();
  l.write(
    `${l.cwd}/clouds.yaml`,
    `clouds:
  mycloud:
    auth:
      auth_url: https://keystone.example.com/v3
      username: alice
      project_name: ocp
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
`,
  );
  l.write(
    `${l.home}/.config/openstack/secure.yaml`,
    "clouds:\n  mycloud:\n    auth:\n      password: from-secure-yaml\n",
  );
  const found = discoverCloud(l.opts());
  assert.equal(found.cloud.auth.password, "from-secure-yaml");
  // The rest of auth survives the merge.
  assert.equal(found.cloud.auth.username, "alice");
  assert.equal(found.cloud.auth.projectName, "ocp");
  assert.equal(found.secureFile, `${l.home}/.config/openstack/secure.yaml`);
  assert.equal(found.cloud.source.secureFile, found.secureFile);
  // Read means registered for redaction.
  assert.equal(redact("pw=from-secure-yaml"), "pw=[REDACTED]");

  const override = l.write("s/secure.yml", "clouds:\n  mycloud:\n    auth:\n      password: from-override\n");
  assert.equal(discoverCloud(l.opts({ OS_CLIENT_SECURE_FILE: override })).cloud.auth.password, "from-override");
});

Deno.test("--os-cloud beats OS_CLOUD, which picks among several clouds", async () => {
  const l = await layout();
  l.write(`${l.cwd}/clouds.yaml`, `clouds:\n${passwordCloud("a")}${passwordCloud("b", "https://b.example.com/v3")}`);
  const byEnv = discoverCloud(l.opts({ OS_CLOUD: "b" }));
  assert.equal(byEnv.cloud.name, "b");
  assert.equal(byEnv.chosenBy, "OS_CLOUD");
  assert.equal(byEnv.cloud.auth.authUrl, "https://b.example.com/v3");
  const byFlag = discoverCloud(l.opts({ OS_CLOUD: "b" }, { cloudName: "a" }));
  assert.equal(byFlag.cloud.name, "a");
  assert.equal(byFlag.chosenBy, "--os-cloud");
});

Deno.test("several clouds and none chosen, or a name that is not there: errors that say what to do", async () => {
  const l = await layout();
  const file = l.write(`${l.cwd}/clouds.yaml`, `clouds:\n${passwordCloud("a")}${passwordCloud("b")}`);
  expectConfigError(() => discoverCloud(l.opts()), `${file} has several clouds (a, b)`, "--os-cloud", "OS_CLOUD");
  expectConfigError(
    () => discoverCloud(l.opts({}, { cloudName: "mycloud" })),
    `No cloud named mycloud in ${file} (clouds: a, b); pass --os-cloud or set OS_CLOUD to one of them.`,
  );
  expectConfigError(() => discoverCloud(l.opts({ OS_CLOUD: "x" })), "No cloud named x (OS_CLOUD=x)", file);
});

Deno.test("nothing configured: the error lists every path searched", async () => {
  const l = await layout();
  const err = expectConfigError(
    () => discoverCloud(l.opts()),
    "No OpenStack cloud is configured",
    `${l.cwd}/clouds.yaml`,
    `${l.home}/.config/openstack/clouds.yml`,
    `${l.system}/clouds.json`,
    "OS_CLIENT_CONFIG_FILE",
  );
  assert.ok(err.hint?.includes("openrc"));
  expectConfigError(
    () => discoverCloud(l.opts({}, { cloudName: "prod" })),
    "No cloud named prod: no clouds.yaml was found",
    `${l.cwd}/clouds.yaml`,
  );
});

Deno.test("a malformed file is skipped like openstacksdk does, and named when nothing else is found", async () => {
  const l = await layout();
  const bad = l.write(`${l.cwd}/clouds.yaml`, "clouds: [unclosed\n");
  expectConfigError(() => discoverCloud(l.opts()), `skipped ${bad}: not valid YAML`);
  l.write(`${l.home}/.config/openstack/clouds.yaml`, `clouds:\n${passwordCloud("home")}`);
  const found = discoverCloud(l.opts());
  assert.equal(found.cloud.name, "home");
  assert.ok(found.warnings.some((w) => w.startsWith(`skipped ${bad}`)), found.warnings.join("\n"));
});

const ENV = {
  OS_AUTH_URL: "https://keystone.example.com:5000",
  OS_USERNAME: "envuser",
  OS_PASSWORD: "env-password-1",
  OS_PROJECT_NAME: "envproject",
  OS_USER_DOMAIN_NAME: "Default",
  OS_PROJECT_DOMAIN_NAME: "Default",
  OS_REGION_NAME: "RegionTwo",
};

Deno.test("without a file the OS_* variables form the cloud envvars", async () => {
  clearSecrets();
  const l = await layout();
  const found = discoverCloud(
    l.opts({ ...ENV, OS_INTERFACE: "internal", OS_CACERT: "~/ca.pem", OS_IDENTITY_API_VERSION: "3" }),
  );
  assert.equal(found.cloud.name, "envvars");
  assert.equal(found.chosenBy, "environment");
  assert.equal(found.cloud.source.description, "the OS_* environment variables");
  assert.deepEqual(found.cloud.auth, {
    authUrl: "https://keystone.example.com:5000",
    username: "envuser",
    userId: undefined,
    password: "env-password-1",
    userDomainId: undefined,
    userDomainName: "Default",
    projectId: undefined,
    projectName: "envproject",
    projectDomainId: undefined,
    projectDomainName: "Default",
    applicationCredentialId: undefined,
    applicationCredentialName: undefined,
    applicationCredentialSecret: undefined,
  });
  assert.equal(found.cloud.regionName, "RegionTwo");
  assert.equal(found.cloud.interface, "internal");
  assert.equal(found.cloud.tls.caFile, `${l.home}/ca.pem`);
  assert.equal(redact("env-password-1"), "[REDACTED]");
  // OS_CLOUD_NAME renames it.
  assert.equal(discoverCloud(l.opts({ ...ENV, OS_CLOUD_NAME: "openrc" })).cloud.name, "openrc");
});

Deno.test("legacy variables: OS_TENANT_NAME/OS_TENANT_ID, OS_ENDPOINT_TYPE=internalURL, OS_DOMAIN_NAME, OS_INSECURE", async () => {
  const l = await layout();
  const { cloud } = discoverCloud(l.opts({
    OS_AUTH_URL: "https://k.example.com/v3",
    OS_USERNAME: "u",
    OS_PASSWORD: "legacy-password",
    OS_TENANT_NAME: "legacy-project",
    OS_DOMAIN_NAME: "Corp",
    OS_ENDPOINT_TYPE: "internalURL",
    OS_INSECURE: "true",
  }));
  assert.equal(cloud.auth.projectName, "legacy-project");
  assert.equal(cloud.auth.userDomainName, "Corp");
  assert.equal(cloud.auth.projectDomainName, "Corp");
  assert.equal(cloud.interface, "internal");
  assert.equal(cloud.tls.verify, false);
  const byId = discoverCloud(l.opts({
    OS_AUTH_URL: "https://k.example.com/v3",
    OS_USER_ID: "uid",
    OS_PASSWORD: "legacy-password",
    OS_TENANT_ID: "tid",
    OS_PROJECT_ID: "pid",
  })).cloud;
  assert.equal(byId.auth.projectId, "pid", "OS_PROJECT_ID wins over OS_TENANT_ID");
  assert.equal(byId.auth.userId, "uid");
});

Deno.test("application credential from the environment", async () => {
  const l = await layout();
  const { cloud } = discoverCloud(l.opts({
    OS_AUTH_TYPE: "v3applicationcredential",
    OS_AUTH_URL: "https://k.example.com/v3",
    OS_APPLICATION_CREDENTIAL_ID: "acid",
    OS_APPLICATION_CREDENTIAL_SECRET: "env-app-secret",
  }));
  assert.equal(cloud.authType, "v3applicationcredential");
  assert.equal(cloud.auth.applicationCredentialId, "acid");
  assert.equal(cloud.auth.applicationCredentialSecret, "env-app-secret");
});

Deno.test("precedence with both a file and OS_* variables follows openstacksdk", async () => {
  const l = await layout();
  l.write(`${l.cwd}/clouds.yaml`, `clouds:\n${passwordCloud("filecloud")}`);
  // No cloud named: the environment cloud wins over the file's only cloud.
  assert.equal(discoverCloud(l.opts(ENV)).cloud.name, "envvars");
  // A cloud named: the file's cloud as written, the variables not merged into it.
  const named = discoverCloud(l.opts({ ...ENV, OS_CLOUD: "filecloud" })).cloud;
  assert.equal(named.name, "filecloud");
  assert.equal(named.auth.username, "alice");
  assert.equal(named.regionName, "RegionOne");
  // Only selector variables: no environment cloud, the file's cloud is used.
  const selectorsOnly = discoverCloud(l.opts({ OS_REGION_NAME: "RegionTwo", OS_CLIENT_CONFIG_FILE: "" })).cloud;
  assert.equal(selectorsOnly.name, "filecloud");
  // CI/oslotest variables do not count either.
  assert.equal(discoverCloud(l.opts({ OS_TEST_TIMEOUT: "60", OS_STDOUT_CAPTURE: "1" })).cloud.name, "filecloud");
  // The environment cloud can also be picked by name next to the file's clouds.
  assert.equal(discoverCloud(l.opts({ ...ENV, OS_CLOUD: "envvars" })).cloud.name, "envvars");
});

Deno.test("a file cloud named envvars clashes with the environment cloud", async () => {
  const l = await layout();
  l.write(`${l.cwd}/clouds.yaml`, `clouds:\n${passwordCloud("envvars")}`);
  expectConfigError(() => discoverCloud(l.opts(ENV)), "defines a cloud named envvars", "OS_CLOUD_NAME");
  // Without OS_* variables the name is harmless.
  assert.equal(discoverCloud(l.opts()).cloud.name, "envvars");
});

Deno.test("an unsupported auth_type and an incomplete cloud are errors that name the cloud and its file", async () => {
  const l = await layout();
  const file = l.write(
    `${l.cwd}/clouds.yaml`,
    `clouds:
  tok:
    auth_type: token
    auth: {auth_url: "https://k/v3", token: "abcdefgh12345"}
  nodomain:
    auth: {auth_url: "https://k/v3", username: bob, password: bob-password, project_name: p, project_domain_name: D}
`,
  );
  expectConfigError(
    () => discoverCloud(l.opts({}, { cloudName: "tok" })),
    `OpenStack cloud tok (${file}): auth_type token is not supported`,
    "v3applicationcredential",
  );
  expectConfigError(
    () => discoverCloud(l.opts({}, { cloudName: "nodomain" })),
    "user bob has no domain",
    `for cloud nodomain in ${file}`,
  );
  // The token in the file was registered as soon as the file was read.
  assert.equal(redact("x abcdefgh12345 y"), "x [REDACTED] y");
});

Deno.test("a vendor profile is not applied, and the user is told so", async () => {
  const l = await layout();
  l.write(`${l.cwd}/clouds.yaml`, `clouds:\n${passwordCloud("vendor", undefined, "\n    profile: vexxhost")}`);
  const found = discoverCloud(l.opts());
  assert.ok(
    found.warnings.some((w) => w.includes("vendor profile vexxhost (profile) is not applied")),
    found.warnings.join(),
  );
});
