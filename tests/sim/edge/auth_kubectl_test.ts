/**
 * Real `kubectl auth can-i` (SelfSubjectAccessReview), `auth can-i --list` (SelfSubjectRulesReview) and
 * `--as` (impersonation) against the Auth module behind a minimal HTTPS API (issue 3 item 1 and "Must show").
 */
import assert from "node:assert/strict";
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { simKubeconfig } from "../../../sim/kubeconfig.ts";
import { Auth, decodeReviewProtobuf, PROTOBUF_MEDIA_TYPE } from "../../../sim/server/auth.ts";
import { ScenarioSpec } from "../../../sim/scenario/schema.ts";
import { StoreError } from "../../../sim/store.ts";

const certs = new URL("../../../sim/certs/", import.meta.url);
const caPem = await Deno.readTextFile(new URL("ca.crt", certs));
const serverCert = await Deno.readTextFile(new URL("server.crt", certs));
const serverKey = await Deno.readTextFile(new URL("server.key", certs));

const auth = new Auth(
  ScenarioSpec.parse({
    name: "t",
    users: [
      { name: "kube:admin", clusterAdmin: true },
      {
        name: "dev",
        rules: [
          { apiGroups: [""], resources: ["pods"], verbs: ["get", "list"], namespaces: ["team-a"] },
          { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"], namespaces: ["team-a"] },
          { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list"] },
          { apiGroups: [""], resources: ["configmaps"], verbs: ["get"], resourceNames: ["mtu"] },
        ],
      },
    ],
  }).users,
);

const API_V1 = {
  kind: "APIResourceList",
  groupVersion: "v1",
  resources: [
    { name: "pods", singularName: "pod", namespaced: true, kind: "Pod", verbs: ["get", "list", "create"] },
    { name: "pods/exec", singularName: "", namespaced: true, kind: "PodExecOptions", verbs: ["create", "get"] },
    { name: "nodes", singularName: "node", namespaced: false, kind: "Node", verbs: ["get", "list", "watch"] },
    { name: "configmaps", singularName: "configmap", namespaced: true, kind: "ConfigMap", verbs: ["get"] },
  ],
};

async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Uint8Array[] = [];
  for await (const c of req) chunks.push(c as Uint8Array);
  const bytes = new Uint8Array(chunks.flatMap((c) => [...c]));
  // kubectl's typed clients send reviews as protobuf (and accept JSON back)
  if (String(req.headers["content-type"]).startsWith(PROTOBUF_MEDIA_TYPE)) return decodeReviewProtobuf(bytes);
  return JSON.parse(new TextDecoder().decode(bytes));
}

function impersonation(req: IncomingMessage) {
  const raw = req.rawHeaders;
  let user: string | undefined;
  const groups: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i].toLowerCase();
    if (name === "impersonate-user") user = raw[i + 1];
    else if (name === "impersonate-group") groups.push(raw[i + 1]);
  }
  return user || groups.length ? { user, groups } : undefined;
}

async function handle(req: IncomingMessage, res: ServerResponse) {
  const json = (code: number, obj: unknown) => {
    res.writeHead(code, { "Content-Type": "application/json" });
    res.end(JSON.stringify(obj));
  };
  try {
    const authenticated = auth.authenticate({ authorization: req.headers.authorization });
    if (!authenticated) return json(401, { kind: "Status", apiVersion: "v1", status: "Failure", code: 401 });
    const user = auth.impersonate(authenticated, impersonation(req));
    const path = new URL(req.url ?? "/", "https://x").pathname;
    if (path === "/api") return json(200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] });
    if (path === "/apis") return json(200, { kind: "APIGroupList", apiVersion: "v1", groups: [] });
    if (path === "/api/v1") return json(200, API_V1);
    if (path === "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews") {
      return json(201, auth.selfSubjectAccessReview(user, await body(req)));
    }
    if (path === "/apis/authentication.k8s.io/v1/selfsubjectreviews") {
      return json(201, auth.selfSubjectReview(user, await body(req)));
    }
    if (path === "/apis/authorization.k8s.io/v1/selfsubjectrulesreviews") {
      return json(201, auth.selfSubjectRulesReview(user, await body(req)));
    }
    json(404, { kind: "Status", apiVersion: "v1", status: "Failure", code: 404, reason: "NotFound" });
  } catch (e) {
    if (!(e instanceof StoreError)) throw e;
    json(e.code, {
      kind: "Status",
      apiVersion: "v1",
      status: "Failure",
      message: e.message,
      reason: e.reason,
      code: e.code,
    });
  }
}

async function withApi(
  fn: (kubectl: (...args: string[]) => Promise<{ code: number; out: string; err: string }>) => Promise<void>,
) {
  const server: Server = createServer({ key: serverKey, cert: serverCert }, (req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const home = await Deno.makeTempDir();
  try {
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const file = `${home}/kubeconfig`;
    await Deno.writeTextFile(
      file,
      simKubeconfig({ url, caPem, users: auth.credentials().map((c) => ({ name: c.name, token: c.token })) }),
    );
    await fn(async (...args) => {
      const out = await new Deno.Command("kubectl", {
        args: ["--kubeconfig", file, ...args],
        env: { HOME: home },
        stdout: "piped",
        stderr: "piped",
      }).output();
      const dec = (b: Uint8Array) => new TextDecoder().decode(b);
      return { code: out.code, out: dec(out.stdout), err: dec(out.stderr) };
    });
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await Deno.remove(home, { recursive: true });
  }
}

Deno.test("kubectl auth can-i: admin yes; restricted user by namespace, subresource, resourceNames; --as needs rights", async () => {
  await withApi(async (kubectl) => {
    const yes = await kubectl("auth", "can-i", "delete", "nodes");
    assert.equal(yes.out.trim(), "yes");
    assert.equal(yes.code, 0);

    const asDev = (...args: string[]) => kubectl("--context", "dev", ...args);
    // "pods/exec" on kubectl's command line is resource/name; the subresource has its own flag
    const exec = ["auth", "can-i", "create", "pods", "--subresource=exec"];
    assert.equal((await asDev(...exec, "-n", "team-a")).out.trim(), "yes");
    assert.equal((await asDev("auth", "can-i", "create", "pods", "-n", "team-a")).out.trim(), "no");
    assert.equal((await asDev("auth", "can-i", "list", "pods", "-n", "team-a")).out.trim(), "yes");
    const otherNs = await asDev(...exec, "-n", "team-b");
    assert.equal(otherNs.out.trim(), "no");
    assert.equal(otherNs.code, 1);
    assert.equal((await asDev("auth", "can-i", "list", "nodes")).out.trim(), "yes");
    assert.equal((await asDev("auth", "can-i", "watch", "nodes")).out.trim(), "no");
    assert.equal((await asDev("auth", "can-i", "get", "configmaps/mtu", "-n", "x")).out.trim(), "yes");
    assert.equal((await asDev("auth", "can-i", "get", "configmaps/other", "-n", "x")).out.trim(), "no");

    // the admin impersonates dev: dev's answers
    assert.equal((await kubectl("auth", "can-i", "watch", "nodes", "--as", "dev")).out.trim(), "no");
    const whoami = await kubectl("auth", "whoami", "--as", "dev", "--as-group", "team", "-o", "json");
    assert.deepEqual(JSON.parse(whoami.out).status.userInfo, {
      username: "dev",
      groups: ["team", "system:authenticated"],
    });

    // dev may not impersonate anyone
    const denied = await asDev("auth", "can-i", "delete", "nodes", "--as", "kube:admin");
    assert.notEqual(denied.code, 0);
    assert.match(denied.err, /User "dev" cannot impersonate resource "users" in API group ""/);
  });
});

Deno.test("kubectl auth can-i --list shows the rules of SelfSubjectRulesReview", async () => {
  await withApi(async (kubectl) => {
    const list = await kubectl("--context", "dev", "auth", "can-i", "--list", "-n", "team-a");
    assert.equal(list.code, 0, list.err);
    const lines = list.out.split("\n");
    assert.match(lines[0], /^Resources\s+Non-Resource URLs\s+Resource Names\s+Verbs$/);
    assert.ok(lines.some((l) => /^pods\/exec\s+\[\]\s+\[\]\s+\[create\]$/.test(l)), list.out);
    assert.ok(lines.some((l) => /^pods\s+\[\]\s+\[\]\s+\[get list\]$/.test(l)), list.out);
    assert.ok(lines.some((l) => /^configmaps\s+\[\]\s+\[mtu\]\s+\[get\]$/.test(l)), list.out);
    assert.ok(lines.some((l) => /^\s+\[\/version\]\s+\[\]\s+\[get\]$/.test(l)), list.out);

    const elsewhere = await kubectl("--context", "dev", "auth", "can-i", "--list", "-n", "team-b");
    assert.ok(!elsewhere.out.includes("pods/exec"), elsewhere.out);
  });
});
