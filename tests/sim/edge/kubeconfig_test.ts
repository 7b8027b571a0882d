/** The simulator's kubeconfig (issue 3 item 1): valid YAML that real kubectl reads. */
import assert from "node:assert/strict";
import { load } from "js-yaml";
import { simKubeconfig } from "../../../sim/kubeconfig.ts";

const certs = new URL("../../../sim/certs/", import.meta.url);
const caPem = await Deno.readTextFile(new URL("ca.crt", certs));
const clientCertPem = await Deno.readTextFile(new URL("client.crt", certs));
const clientKeyPem = await Deno.readTextFile(new URL("client.key", certs));
const TOKEN = "sha256~" + "a".repeat(43);

function config(currentUser?: string): string {
  return simKubeconfig({
    url: "https://127.0.0.1:6443",
    caPem,
    users: [
      { name: "kube:admin", token: TOKEN },
      { name: "system:admin", clientCertPem, clientKeyPem },
      { name: "dev", token: "dev-token-0123456789" },
    ],
    currentUser,
  });
}

const b64 = (s: string) => btoa(s);

Deno.test("kubeconfig: one cluster, one context per user, current context = first token user", () => {
  // deno-lint-ignore no-explicit-any
  const kc = load(config()) as any;
  assert.equal(kc.apiVersion, "v1");
  assert.equal(kc.kind, "Config");
  assert.deepEqual(kc.clusters, [{
    name: "sim",
    cluster: { server: "https://127.0.0.1:6443", "certificate-authority-data": b64(caPem) },
  }]);
  assert.deepEqual(kc.users[0], { name: "kube:admin", user: { token: TOKEN } });
  assert.deepEqual(kc.users[1], {
    name: "system:admin",
    user: { "client-certificate-data": b64(clientCertPem), "client-key-data": b64(clientKeyPem) },
  });
  assert.deepEqual(kc.contexts.map((c: { name: string }) => c.name), ["kube-admin", "system-admin", "dev"]);
  assert.deepEqual(kc.contexts[1].context, { cluster: "sim", user: "system:admin", namespace: "default" });
  assert.equal(kc["current-context"], "kube-admin");
  // deno-lint-ignore no-explicit-any
  assert.equal((load(config("system:admin")) as any)["current-context"], "system-admin");
  assert.throws(() => config("nobody"), /no credentials for user nobody/);
});

async function kubectl(...args: string[]): Promise<string> {
  const out = await new Deno.Command("kubectl", { args, stdout: "piped", stderr: "piped", env: { HOME: "/tmp" } })
    .output();
  const stderr = new TextDecoder().decode(out.stderr);
  assert.equal(out.code, 0, `kubectl ${args.join(" ")}: ${stderr}`);
  return new TextDecoder().decode(out.stdout);
}

Deno.test("kubeconfig: real kubectl reads it (config view --minify, get-contexts)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = `${dir}/kubeconfig`;
    await Deno.writeTextFile(file, config());
    const view = JSON.parse(
      await kubectl("config", "view", "--kubeconfig", file, "--minify", "--raw", "-o", "json"),
    );
    assert.equal(view["current-context"], "kube-admin");
    assert.equal(view.clusters[0].cluster.server, "https://127.0.0.1:6443");
    assert.equal(view.clusters[0].cluster["certificate-authority-data"], b64(caPem));
    assert.equal(view.users[0].name, "kube:admin");
    assert.equal(view.users[0].user.token, TOKEN);

    const contexts = await kubectl("config", "get-contexts", "--kubeconfig", file, "-o", "name");
    assert.deepEqual(contexts.trim().split("\n").sort(), ["dev", "kube-admin", "system-admin"]);
    const table = await kubectl("config", "get-contexts", "--kubeconfig", file);
    assert.match(table, /^\*\s+kube-admin\s+sim\s+kube:admin\s+default$/m);

    const minifiedCert = JSON.parse(
      await kubectl(
        "config",
        "view",
        "--kubeconfig",
        file,
        "--context",
        "system-admin",
        "--minify",
        "--raw",
        "-o",
        "json",
      ),
    );
    assert.equal(minifiedCert.users[0].user["client-key-data"], b64(clientKeyPem));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
