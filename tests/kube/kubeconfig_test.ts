import { assert, assertEquals, assertMatch, assertThrows } from "./_assert.ts";
import { ConfigError, UsageError } from "../../lib/errors.ts";
import { kubeconfigFiles, type KubeconfigHost, resolveKubeconfig } from "../../lib/kube/kubeconfig.ts";
import { b64, CA_PEM, CLIENT_CERT, CLIENT_KEY, globals, simpleKubeconfig, writeKubeconfig } from "./_fixtures.ts";

function host(env: Record<string, string>, cwd = "/"): KubeconfigHost {
  return { env: (n) => env[n], readTextFile: (p) => Deno.readTextFileSync(p), cwd: () => cwd, os: "linux" };
}

Deno.test("KUBECONFIG files merge like kubectl: first file to define a name wins, first current-context wins", async () => {
  const dir = await Deno.makeTempDir();
  const a = await writeKubeconfig(dir, "a.yaml", {
    clusters: [{ name: "shared", cluster: { server: "https://a.example:6443", "insecure-skip-tls-verify": true } }],
    users: [{ name: "ua", user: { token: "token-from-file-a" } }],
    contexts: [{ name: "ctx-a", context: { cluster: "shared", user: "ua" } }],
  });
  const b = await writeKubeconfig(dir, "b.yaml", {
    "current-context": "ctx-b",
    clusters: [
      { name: "shared", cluster: { server: "https://b.example:6443" } },
      { name: "only-b", cluster: { server: "https://only-b.example:6443", "insecure-skip-tls-verify": true } },
    ],
    users: [{ name: "ua", user: { token: "token-from-file-b" } }],
    contexts: [{ name: "ctx-b", context: { cluster: "shared", user: "ua", namespace: "from-b" } }],
  });
  const c = await writeKubeconfig(dir, "c.yaml", {
    "current-context": "ctx-a",
    contexts: [{ name: "ctx-c", context: { cluster: "only-b", user: "ua" } }],
  });
  const missing = `${dir}/missing.yaml`;
  const env = { KUBECONFIG: [a, missing, b, "", c].join(":") };
  const r = resolveKubeconfig(globals(), host(env));
  assertEquals(r.files, [a, b, c]);
  assertEquals(r.contextName, "ctx-b", "current-context from the first file that sets it");
  assertEquals(r.server, "https://a.example:6443", "cluster 'shared' from the first file defining it");
  assertEquals(r.token, "token-from-file-a");
  assertEquals(r.namespace, "from-b");
  assert(r.insecureSkipTlsVerify);

  const other = resolveKubeconfig(globals({ context: "ctx-c" }), host(env));
  assertEquals(other.server, "https://only-b.example:6443");
  assertEquals(other.namespace, "default");
});

Deno.test("--kubeconfig wins over KUBECONFIG, and a missing --kubeconfig file is an error naming it", async () => {
  const dir = await Deno.makeTempDir();
  const env = await writeKubeconfig(dir, "env.yaml", simpleKubeconfig("https://env:6443", { token: "env-token-123" }));
  const flag = await writeKubeconfig(
    dir,
    "flag.yaml",
    simpleKubeconfig("https://flag:6443", { token: "flag-token-1" }),
  );
  const r = resolveKubeconfig(globals({ kubeconfig: flag }), host({ KUBECONFIG: env }));
  assertEquals(r.server, "https://flag:6443");
  const err = assertThrows(
    () => resolveKubeconfig(globals({ kubeconfig: `${dir}/nope.yaml` }), host({ KUBECONFIG: env })),
    ConfigError,
  );
  assertMatch(err.message, /nope\.yaml does not exist/);
  assertMatch(err.hint ?? "", /oc login/);
  assertEquals(err.exitCode, 2);
});

Deno.test("~/.kube/config is the default, and its absence says how to log in", async () => {
  const home = await Deno.makeTempDir();
  const noConfig = assertThrows(() => resolveKubeconfig(globals(), host({ HOME: home })), ConfigError);
  assertMatch(noConfig.message, /No kubeconfig found/);
  assertMatch(noConfig.message, /\.kube\/config/);
  assertMatch(noConfig.hint ?? "", /oc login/);
  await Deno.mkdir(`${home}/.kube`);
  await writeKubeconfig(`${home}/.kube`, "config", simpleKubeconfig("https://home:6443", { token: "home-token-1" }));
  assertEquals(resolveKubeconfig(globals(), host({ HOME: home })).server, "https://home:6443");
  // USERPROFILE is the Windows fallback.
  assertEquals(resolveKubeconfig(globals(), host({ USERPROFILE: home })).server, "https://home:6443");
});

Deno.test("bad kubeconfig files: malformed YAML, wrong shape, missing context, cluster or user", async () => {
  const dir = await Deno.makeTempDir();
  const bad = await writeKubeconfig(dir, "bad.yaml", "clusters: [\n  - name: x\n   cluster: {");
  const e1 = assertThrows(() => resolveKubeconfig(globals({ kubeconfig: bad }), host({})), ConfigError);
  assertMatch(e1.message, /bad\.yaml is not valid YAML/);
  assertMatch(e1.message, /line \d+/);

  const shape = await writeKubeconfig(dir, "shape.yaml", { clusters: { name: "x" } });
  const e2 = assertThrows(() => resolveKubeconfig(globals({ kubeconfig: shape }), host({})), ConfigError);
  assertMatch(e2.message, /shape\.yaml is malformed: "clusters" must be a list/);

  const ok = await writeKubeconfig(dir, "ok.yaml", simpleKubeconfig("https://x:6443", { token: "tok-123456" }));
  const e3 = assertThrows(
    () => resolveKubeconfig(globals({ kubeconfig: ok, context: "other" }), host({})),
    ConfigError,
  );
  assertMatch(e3.message, /Context "other" is not defined in .*ok\.yaml/);
  assertMatch(e3.hint ?? "", /defined: ctx/);

  const e4 = assertThrows(() => resolveKubeconfig(globals({ kubeconfig: ok, cluster: "nope" }), host({})), ConfigError);
  assertMatch(e4.message, /Cluster "nope" .* is not defined/);
  const e5 = assertThrows(() => resolveKubeconfig(globals({ kubeconfig: ok, user: "nope" }), host({})), ConfigError);
  assertMatch(e5.message, /User "nope" .* is not defined/);

  const noCurrent = await writeKubeconfig(dir, "nocur.yaml", {
    ...simpleKubeconfig("https://x:6443", { token: "t-1234567" }),
    "current-context": "",
  });
  const e6 = assertThrows(() => resolveKubeconfig(globals({ kubeconfig: noCurrent }), host({})), ConfigError);
  assertMatch(e6.message, /No current context/);
  assertMatch(e6.hint ?? "", /--context/);
});

Deno.test("context, cluster and user overrides pick other entries", async () => {
  const dir = await Deno.makeTempDir();
  const file = await writeKubeconfig(dir, "k.yaml", {
    "current-context": "one",
    clusters: [
      { name: "c1", cluster: { server: "https://c1:6443" } },
      { name: "c2", cluster: { server: "https://c2:6443" } },
    ],
    users: [{ name: "u1", user: { token: "token-one-1" } }, { name: "u2", user: { token: "token-two-2" } }],
    contexts: [
      { name: "one", context: { cluster: "c1", user: "u1" } },
      { name: "two", context: { cluster: "c2", user: "u2", namespace: "n2" } },
    ],
  });
  const two = resolveKubeconfig(globals({ kubeconfig: file, context: "two" }), host({}));
  assertEquals([two.contextName, two.server, two.token, two.namespace], [
    "two",
    "https://c2:6443",
    "token-two-2",
    "n2",
  ]);
  const mixed = resolveKubeconfig(globals({ kubeconfig: file, cluster: "c2", user: "u2" }), host({}));
  assertEquals([mixed.contextName, mixed.server, mixed.token], ["one", "https://c2:6443", "token-two-2"]);
  const flags = resolveKubeconfig(
    globals({
      kubeconfig: file,
      server: "https://flag:443",
      token: "flag-token-9",
      as: "system:admin",
      asGroup: ["g1", "g2"],
      requestTimeout: "1m30s",
    }),
    host({}),
  );
  assertEquals(flags.server, "https://flag:443");
  assertEquals(flags.token, "flag-token-9");
  assertEquals(flags.impersonateUser, "system:admin");
  assertEquals(flags.impersonateGroups, ["g1", "g2"]);
  assertEquals(flags.requestTimeoutMs, 90_000);
  assert(flags.secrets.includes("flag-token-9"));
});

Deno.test("--server and --token work without any kubeconfig", () => {
  const r = resolveKubeconfig(
    globals({ server: "https://api.example:6443", token: "sha256~abcdef", insecureSkipTlsVerify: true }),
    host({ HOME: "/nonexistent-home" }),
  );
  assertEquals(r.server, "https://api.example:6443");
  assertEquals(r.token, "sha256~abcdef");
  assert(r.insecureSkipTlsVerify);
});

Deno.test("token file, client certificate and CA from files resolve relative to the kubeconfig's folder", async () => {
  const dir = await Deno.makeTempDir();
  await Deno.mkdir(`${dir}/sub/certs`, { recursive: true });
  await Deno.writeTextFile(`${dir}/sub/certs/ca.crt`, CA_PEM);
  await Deno.writeTextFile(`${dir}/sub/certs/tls.crt`, CLIENT_CERT);
  await Deno.writeTextFile(`${dir}/sub/certs/tls.key`, CLIENT_KEY);
  await Deno.writeTextFile(`${dir}/sub/token`, "file-token-abc\n");
  const file = await writeKubeconfig(`${dir}/sub`, "config", {
    "current-context": "x",
    clusters: [{ name: "c", cluster: { server: "https://s:6443", "certificate-authority": "certs/ca.crt" } }],
    users: [
      { name: "cert", user: { "client-certificate": "certs/tls.crt", "client-key": "./certs/tls.key" } },
      { name: "tf", user: { tokenFile: "token" } },
    ],
    contexts: [{ name: "x", context: { cluster: "c", user: "cert" } }],
  });
  // cwd elsewhere: paths must not depend on it.
  const r = resolveKubeconfig(globals({ kubeconfig: file }), host({}, "/tmp"));
  assertEquals(r.caPem, CA_PEM);
  assertEquals(r.clientCertPem, CLIENT_CERT);
  assertEquals(r.clientKeyPem, CLIENT_KEY);
  assert(r.secrets.includes(CLIENT_KEY), "the key is registered as a secret");
  const tf = resolveKubeconfig(globals({ kubeconfig: file, user: "tf" }), host({}, "/tmp"));
  assertEquals(tf.token, "file-token-abc");

  await Deno.remove(`${dir}/sub/certs/ca.crt`);
  const e = assertThrows(() => resolveKubeconfig(globals({ kubeconfig: file }), host({}, "/tmp")), ConfigError);
  assertMatch(e.message, /certificate-authority file .*sub\/certs\/ca\.crt/);
});

Deno.test("client certificate and CA as inline data; --certificate-authority and --insecure-skip-tls-verify", async () => {
  const dir = await Deno.makeTempDir();
  const file = await writeKubeconfig(
    dir,
    "k.yaml",
    simpleKubeconfig("https://s:6443", {
      "client-certificate-data": b64(CLIENT_CERT),
      "client-key-data": b64(CLIENT_KEY),
    }, { "proxy-url": "http://user:proxy-secret-pw@proxy.corp:3128" }),
  );
  const r = resolveKubeconfig(globals({ kubeconfig: file }), host({}));
  assertEquals(r.caPem, CA_PEM);
  assertEquals(r.clientCertPem, CLIENT_CERT);
  assertEquals(r.clientKeyPem, CLIENT_KEY);
  assertEquals(r.proxyUrl, "http://user:proxy-secret-pw@proxy.corp:3128");
  assert(r.secrets.includes("proxy-secret-pw"));
  assert(r.secrets.includes(b64(CLIENT_KEY)));
  assertEquals(r.insecureSkipTlsVerify, false);

  const insecure = resolveKubeconfig(globals({ kubeconfig: file, insecureSkipTlsVerify: true }), host({}));
  assertEquals([insecure.insecureSkipTlsVerify, insecure.caPem], [true, undefined]);

  await Deno.writeTextFile(`${dir}/other-ca.pem`, "OTHER CA");
  const flagCa = resolveKubeconfig(globals({ kubeconfig: file, certificateAuthority: "other-ca.pem" }), host({}, dir));
  assertEquals(flagCa.caPem, "OTHER CA");
});

Deno.test("exec credential plugin settings are resolved (relative command against the kubeconfig folder)", async () => {
  const dir = await Deno.makeTempDir();
  const file = await writeKubeconfig(
    dir,
    "k.yaml",
    simpleKubeconfig("https://s:6443", {
      exec: {
        apiVersion: "client.authentication.k8s.io/v1beta1",
        command: "./bin/get-token",
        args: ["--cluster", "prod"],
        env: [{ name: "FOO", value: "bar" }],
        provideClusterInfo: true,
        interactiveMode: "Never",
      },
    }),
  );
  const r = resolveKubeconfig(globals({ kubeconfig: file }), host({}));
  assertEquals(r.exec?.command, `${dir}/./bin/get-token`);
  assertEquals(r.exec?.args, ["--cluster", "prod"]);
  assertEquals(r.exec?.env, [{ name: "FOO", value: "bar" }]);
  assertEquals(r.exec?.apiVersion, "client.authentication.k8s.io/v1beta1");
  assertEquals(r.exec?.interactiveMode, "Never");
  assertEquals(r.exec?.provideClusterInfo, true);
  assertEquals(r.token, undefined);
});

Deno.test("--request-timeout in kubectl's syntax becomes the request timeout; bad syntax is a usage error", async () => {
  const dir = await Deno.makeTempDir();
  const file = await writeKubeconfig(dir, "k.yaml", simpleKubeconfig("https://k.example:6443", { token: "t" }));
  const ms = (requestTimeout: string) =>
    resolveKubeconfig({ ...globals({ kubeconfig: file }), requestTimeout }, host({}));
  for (
    const [text, want] of [["0", 0], ["30s", 30_000], ["2m30s", 150_000], ["250ms", 250], ["1.5h", 5_400_000], [
      "45",
      45_000,
    ]] as const
  ) {
    assertEquals(ms(text).requestTimeoutMs, want, text);
  }
  for (const bad of ["ten seconds", "5x", "-1s"]) {
    assertMatch(assertThrows(() => ms(bad), UsageError).message, /--request-timeout/);
  }
});

Deno.test("KUBECONFIG is split by the OS path separator, duplicates dropped, relative paths made absolute", () => {
  const windows: KubeconfigHost = { ...host({ KUBECONFIG: "C:\\k\\a;D:\\b;;C:\\k\\a" }), os: "windows" };
  assertEquals(kubeconfigFiles({}, windows).files, ["C:\\k\\a", "D:\\b"]);
  assertEquals(kubeconfigFiles({}, host({ KUBECONFIG: "/a:rel/b:/a" }, "/work")).files, ["/a", "/work/rel/b"]);
  assertEquals(kubeconfigFiles({}, host({ HOME: "/home/me" })).files, ["/home/me/.kube/config"]);
  assertEquals(kubeconfigFiles({ kubeconfig: "~/x" }, host({ HOME: "/home/me" })).files, ["/home/me/x"]);
});
