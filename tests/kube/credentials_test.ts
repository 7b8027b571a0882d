/** Exec credential plugins: a small shell script prints an ExecCredential, as `oc`-style plugins do. */
import { assert, assertEquals, assertMatch, assertNoMatch, assertRejects } from "./_assert.ts";
import { ConfigError } from "../../lib/errors.ts";
import { connect } from "../../lib/kube/connect.ts";
import { credentialSource } from "../../lib/kube/credentials.ts";
import { resolveKubeconfig } from "../../lib/kube/kubeconfig.ts";
import { R } from "../../lib/kube/resources.ts";
import {
  captureLogger,
  CLIENT_CERT,
  CLIENT_KEY,
  globals,
  json,
  simpleKubeconfig,
  startServer,
  writeKubeconfig,
} from "./_fixtures.ts";

/** Writes an executable plugin script; every run appends a line to `runs` and the exec info to `info.json`. */
async function plugin(dir: string, status: string, exit = 0): Promise<string> {
  const path = `${dir}/bin/plugin.sh`;
  await Deno.mkdir(`${dir}/bin`, { recursive: true });
  await Deno.writeTextFile(
    path,
    `#!/bin/sh
echo run >> "${dir}/runs"
printf '%s' "$KUBERNETES_EXEC_INFO" > "${dir}/info.json"
printf '%s|%s' "$1" "$PLUGIN_ENV" > "${dir}/args"
if [ ${exit} -ne 0 ]; then echo "token for $1 expired, run login" >&2; exit ${exit}; fi
cat <<'JSON'
{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":${status}}
JSON
`,
  );
  await Deno.chmod(path, 0o755);
  return path;
}

async function runs(dir: string): Promise<number> {
  try {
    return (await Deno.readTextFile(`${dir}/runs`)).trim().split("\n").length;
  } catch {
    return 0;
  }
}

const future = () => new Date(Date.now() + 3_600_000).toISOString();

Deno.test("an exec plugin's token is used, cached until it expires, and sees KUBERNETES_EXEC_INFO, args and env", async () => {
  const dir = await Deno.makeTempDir();
  await plugin(dir, `{"token":"plugin-token-123456789","expirationTimestamp":"${future()}"}`);
  const server = startServer(() => json({ metadata: { name: "cluster" } }));
  const file = await writeKubeconfig(
    dir,
    "config",
    simpleKubeconfig(server.url, {
      exec: {
        apiVersion: "client.authentication.k8s.io/v1",
        command: "./bin/plugin.sh",
        args: ["prod"],
        env: [{ name: "PLUGIN_ENV", value: "set" }],
        provideClusterInfo: true,
        interactiveMode: "Never",
      },
    }),
  );
  const log = captureLogger();
  const kube = await connect(globals({ kubeconfig: file }), log);
  try {
    await kube.get(R.networkConfig, "cluster");
    await kube.get(R.networkConfig, "cluster");
    assertEquals(server.requests.map((r) => r.headers.get("authorization")), [
      "Bearer plugin-token-123456789",
      "Bearer plugin-token-123456789",
    ]);
    assertEquals(await runs(dir), 1, "the token is cached until it expires");
    const info = JSON.parse(await Deno.readTextFile(`${dir}/info.json`));
    assertEquals(info.kind, "ExecCredential");
    assertEquals(info.apiVersion, "client.authentication.k8s.io/v1");
    assertEquals(info.spec.interactive, false);
    assertEquals(info.spec.cluster.server, server.url);
    assertEquals(await Deno.readTextFile(`${dir}/args`), "prod|set");
    assertNoMatch(log.lines.join("\n"), /plugin-token-123456789/);
  } finally {
    await kube.close?.();
    await server.close();
  }
});

Deno.test("an expired plugin credential is fetched again; a certificate credential is accepted", async () => {
  const dir = await Deno.makeTempDir();
  const past = new Date(Date.now() - 1000).toISOString();
  await plugin(
    dir,
    JSON.stringify({ clientCertificateData: CLIENT_CERT, clientKeyData: CLIENT_KEY, expirationTimestamp: past }),
  );
  const file = await writeKubeconfig(
    dir,
    "config",
    simpleKubeconfig("https://x:6443", {
      exec: {
        apiVersion: "client.authentication.k8s.io/v1",
        command: `${dir}/bin/plugin.sh`,
        interactiveMode: "Never",
      },
    }),
  );
  const source = credentialSource(resolveKubeconfig(globals({ kubeconfig: file })), undefined, { interactive: false });
  const first = await source.current();
  assertEquals([first.clientCertPem, first.clientKeyPem, first.token], [CLIENT_CERT, CLIENT_KEY, undefined]);
  await source.current();
  assertEquals(await runs(dir), 2, "already expired: run again");
});

Deno.test("a failing, missing or confused plugin gives a ConfigError naming the command", async () => {
  const dir = await Deno.makeTempDir();
  const path = await plugin(dir, "{}", 3);
  const make = async (command: string) => {
    const file = await writeKubeconfig(
      dir,
      `k-${crypto.randomUUID()}`,
      simpleKubeconfig("https://x:6443", {
        exec: { apiVersion: "client.authentication.k8s.io/v1", command, args: ["prod"], interactiveMode: "Never" },
      }),
    );
    return credentialSource(resolveKubeconfig(globals({ kubeconfig: file })), undefined, { interactive: false });
  };
  const failed = await assertRejects(async () => (await make(path)).current(), ConfigError);
  assertMatch(failed.message, /credential plugin ".*plugin\.sh prod" failed \(exit code 3\): token for prod expired/);
  assertEquals(failed.exitCode, 2);

  const missing = await assertRejects(async () => (await make(`${dir}/no-such-plugin`)).current(), ConfigError);
  assertMatch(missing.message, /no-such-plugin prod" .* was not found/);

  await plugin(dir, "{}");
  const empty = await assertRejects(async () => (await make(path)).current(), ConfigError);
  assertMatch(empty.message, /did not return usable credentials: it returned neither status\.token/);
});

Deno.test("a 401 makes the client run the plugin again once (revoked token)", async () => {
  const dir = await Deno.makeTempDir();
  await plugin(dir, `{"token":"plugin-token-abcdefgh","expirationTimestamp":"${future()}"}`);
  let calls = 0;
  const server = startServer(() =>
    ++calls === 1 ? json({ kind: "Status", code: 401 }, 401) : json({ metadata: { name: "n" } })
  );
  const file = await writeKubeconfig(
    dir,
    "config",
    simpleKubeconfig(server.url, {
      exec: {
        apiVersion: "client.authentication.k8s.io/v1",
        command: `${dir}/bin/plugin.sh`,
        interactiveMode: "Never",
      },
    }),
  );
  const kube = await connect(globals({ kubeconfig: file }), captureLogger());
  try {
    assert(await kube.get(R.node, "n"));
    assertEquals(await runs(dir), 2);
  } finally {
    await kube.close?.();
    await server.close();
  }
});
