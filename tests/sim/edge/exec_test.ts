/**
 * pods/exec over WebSocket (issue 3 item 2): real clients (@kubernetes/client-node's Exec on v5, a raw
 * `ws` client on v4 and v4.base64) against attachExecServer on a node:https server. Exit codes travel on
 * the status channel exactly as kubelet writes them.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import { Readable, Writable } from "node:stream";
// @ts-types="@types/ws"
import { WebSocket } from "ws";
import { Exec, KubeConfig, type V1Status } from "@kubernetes/client-node";
import { simKubeconfig } from "../../../sim/kubeconfig.ts";
import { Auth } from "../../../sim/server/auth.ts";
import { attachExecServer, type ExecServerHandle, V4, V4_BASE64 } from "../../../sim/server/exec.ts";
import { FaultInjector } from "../../../sim/server/faults.ts";
import { RequestLog } from "../../../sim/server/request_log.ts";
import { FaultSpec, ScenarioSpec } from "../../../sim/scenario/schema.ts";
import type { Obj } from "../../../sim/store.ts";
import { ExecRegistry, type ExecRequest } from "../../../sim/types.ts";

const certs = new URL("../../../sim/certs/", import.meta.url);
const caPem = await Deno.readTextFile(new URL("ca.crt", certs));
const serverCert = await Deno.readTextFile(new URL("server.crt", certs));
const serverKey = await Deno.readTextFile(new URL("server.key", certs));

const ADMIN_TOKEN = "sha256~" + "A".repeat(43);
const DEV_TOKEN = "dev-token-0123456789";

function pod(name: string, containers: string[], phase = "Running", extra: Obj = {}): Obj {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "ns" },
    spec: { nodeName: "worker-0", containers: containers.map((c) => ({ name: c, image: "x" })), ...extra },
    status: { phase },
  };
}

const PODS: Record<string, Obj> = {
  "ns/one": pod("one", ["main"]),
  "ns/two": pod("two", ["alpha", "beta"]),
  "ns/pending": pod("pending", ["main"], "Pending"),
};

/** The test's "container runtime": echo stdin, exit 3 with stderr, or print arguments. */
function testHandler(req: ExecRequest) {
  const [cmd, ...args] = req.command;
  if (cmd === "cat") return { stdout: new TextDecoder().decode(req.stdin), exitCode: 0 };
  if (cmd === "fail") return { stdout: "partial output\n", stderr: "something broke\n", exitCode: 3 };
  if (cmd === "echo") return { stdout: `${req.container}:${args.join(" ")}\n`, exitCode: 0 };
  if (cmd === "crash") throw new Error("runtime exploded");
  return undefined;
}

interface Sim {
  url: string;
  log: RequestLog;
  faults: FaultInjector;
  calls: ExecRequest[];
  kubeconfig(user?: string): string;
  close(): Promise<void>;
}

async function startSim(): Promise<Sim> {
  const auth = new Auth(
    ScenarioSpec.parse({
      name: "t",
      users: [
        { name: "kube:admin", token: ADMIN_TOKEN, clusterAdmin: true },
        { name: "dev", token: DEV_TOKEN, rules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get"] }] },
      ],
    }).users,
  );
  const registry = new ExecRegistry();
  const calls: ExecRequest[] = [];
  registry.register((req) => {
    calls.push(req);
    return testHandler(req);
  });
  const log = new RequestLog();
  const faults = new FaultInjector(FaultSpec.parse({}));
  const server: Server = createServer({ key: serverKey, cert: serverCert });
  const handle: ExecServerHandle = attachExecServer(server, {
    authenticate: (req) => auth.authenticate({ authorization: req.headers.authorization }),
    authorize: (user, attrs) => auth.authorize(user, attrs),
    resolvePod: (ns, name) => PODS[`${ns}/${name}`],
    exec: registry,
    faults,
    requestLog: log,
    log: () => {},
  });
  serveMinimalApi(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    log,
    faults,
    calls,
    kubeconfig: (user) =>
      simKubeconfig({
        url,
        caPem,
        users: auth.credentials().map((c) => ({ name: c.name, token: c.token })),
        currentUser: user,
      }),
    async close() {
      handle.closeAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function collector() {
  const chunks: Uint8Array[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      chunks.push(new Uint8Array(chunk));
      cb();
    },
  });
  return { stream, text: () => new TextDecoder().decode(concat(chunks)) };
}

function concat(chunks: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

/** Runs a command through client-node's Exec and waits until the socket is closed. */
async function clientNodeExec(
  sim: Sim,
  podName: string,
  container: string,
  command: string[],
  stdin?: string,
) {
  const kc = new KubeConfig();
  kc.loadFromString(sim.kubeconfig());
  const stdout = collector();
  const stderr = collector();
  let status: V1Status | undefined;
  const ws = await new Exec(kc).exec(
    "ns",
    podName,
    container,
    command,
    stdout.stream,
    stderr.stream,
    stdin === undefined ? null : Readable.from([Buffer.from(stdin)]), // client-node copies only Buffers
    false,
    (s) => status = s,
  );
  const protocol = ws.protocol;
  if (ws.readyState !== WebSocket.CLOSED) {
    await new Promise<void>((resolve) => ws.addEventListener("close", () => resolve()));
  }
  return { stdout: stdout.text(), stderr: stderr.text(), status, protocol };
}

Deno.test("exec with client-node (v5): stdin is echoed, a Success status ends the stream", async () => {
  const sim = await startSim();
  try {
    const r = await clientNodeExec(sim, "one", "main", ["cat"], "hello from stdin\n");
    assert.equal(r.protocol, "v5.channel.k8s.io");
    assert.equal(r.stdout, "hello from stdin\n");
    assert.equal(r.stderr, "");
    assert.deepEqual(r.status, { metadata: {}, status: "Success" });
    assert.equal(sim.calls.length, 1);
    assert.equal(sim.calls[0].user, "kube:admin");
    assert.equal(sim.calls[0].container, "main");
    assert.equal(sim.calls[0].pod.metadata.name, "one");

    const [record] = sim.log.records({ resource: "pods" });
    assert.equal(record.verb, "create");
    assert.equal(record.subresource, "exec");
    assert.equal(record.namespace, "ns");
    assert.equal(record.name, "one");
    assert.equal(record.code, 101);
    assert.equal(record.user, "kube:admin");
    assert.ok(record.bytesIn >= "hello from stdin\n".length, `bytesIn ${record.bytesIn}`);
    assert.ok(record.bytesOut > "hello from stdin\n".length, `bytesOut ${record.bytesOut}`);
    assert.equal(sim.log.summary().writes, 0, "exec is not a write");
  } finally {
    await sim.close();
  }
});

Deno.test("exec with client-node: non-zero exit code arrives as kubelet's NonZeroExitCode status", async () => {
  const sim = await startSim();
  try {
    const r = await clientNodeExec(sim, "one", "main", ["fail", "--hard"]);
    assert.equal(r.stdout, "partial output\n");
    assert.equal(r.stderr, "something broke\n");
    assert.deepEqual(r.status, {
      metadata: {},
      status: "Failure",
      message: "command terminated with non-zero exit code: error executing command [fail --hard], exit code 3",
      reason: "NonZeroExitCode",
      details: { causes: [{ reason: "ExitCode", message: "3" }] },
    });
    assert.deepEqual(sim.calls[0].stdin, new Uint8Array(0), "stdin not requested");

    // no handler takes it: the registry's "command not found", exit 127
    const missing = await clientNodeExec(sim, "two", "beta", ["no-such-command"]);
    assert.equal(missing.stderr, "sh: no-such-command: command not found\n");
    assert.equal(missing.status?.reason, "NonZeroExitCode");
    assert.equal(missing.status?.details?.causes?.[0].message, "127");

    // a handler that throws: an InternalError status, the server keeps serving
    const crashed = await clientNodeExec(sim, "one", "main", ["crash"]);
    assert.equal(crashed.status?.status, "Failure");
    assert.equal(crashed.status?.reason, "InternalError");
    assert.match(crashed.status?.message ?? "", /runtime exploded/);
  } finally {
    await sim.close();
  }
});

interface RawResult {
  protocol: string;
  frames: { channel: number; text: string }[];
  closeCode: number;
}

/** A raw `ws` client: sends nothing (no stdin) and records every frame until the server closes. */
function rawExec(
  sim: Sim,
  query: string,
  opts: { protocols?: string[]; token?: string; podName?: string } = {},
): Promise<RawResult> {
  const ws = new WebSocket(
    `${sim.url.replace("https", "wss")}/api/v1/namespaces/ns/pods/${opts.podName ?? "one"}/exec?${query}`,
    opts.protocols ?? [V4],
    {
      ca: caPem,
      headers: opts.token === "" ? {} : { Authorization: `Bearer ${opts.token ?? ADMIN_TOKEN}` },
    },
  );
  const frames: RawResult["frames"] = [];
  return new Promise((resolve, reject) => {
    ws.on("message", (data, isBinary) => {
      const bytes = new Uint8Array(data as Buffer);
      if (isBinary) frames.push({ channel: bytes[0], text: new TextDecoder().decode(bytes.subarray(1)) });
      else {
        const text = new TextDecoder().decode(bytes);
        frames.push({ channel: text.charCodeAt(0) - 48, text: new TextDecoder().decode(fromBase64(text.slice(1))) });
      }
    });
    ws.on("close", (code) => resolve({ protocol: ws.protocol, frames, closeCode: code }));
    ws.on("error", reject);
  });
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/** An exec upgrade the server refuses: the HTTP status and its metav1.Status body. */
function rejectedExec(sim: Sim, podName: string, query: string, token = ADMIN_TOKEN, protocols = [V4]) {
  return rejectedUpgrade(sim, `/api/v1/namespaces/ns/pods/${podName}/exec?${query}`, token, protocols);
}

function rejectedUpgrade(
  sim: Sim,
  path: string,
  token: string,
  protocols: string[],
): Promise<{ code: number; body: Obj; retryAfter?: string }> {
  const ws = new WebSocket(
    `${sim.url.replace("https", "wss")}${path}`,
    protocols,
    {
      ca: caPem,
      headers: token ? { Authorization: `Bearer ${token}` } : {},
    },
  );
  return new Promise((resolve, reject) => {
    ws.on("open", () => {
      ws.close();
      reject(new Error("upgrade unexpectedly succeeded"));
    });
    ws.on("unexpected-response", (req, res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        req.destroy();
        const retry = res.headers["retry-after"];
        resolve({
          code: res.statusCode ?? 0,
          body: JSON.parse(new TextDecoder().decode(concat(chunks))),
          retryAfter: Array.isArray(retry) ? retry[0] : retry,
        });
      });
    });
    ws.on("error", () => {}); // req.destroy() surfaces as an error after we resolved
  });
}

Deno.test("exec with a raw ws client on v4 (no close channel): output, then status, then close", async () => {
  const sim = await startSim();
  try {
    const r = await rawExec(sim, "command=echo&command=a%20b&command=c&stdout=true&stderr=true");
    assert.equal(r.protocol, V4);
    assert.equal(r.closeCode, 1000);
    // kubelet's empty "ready" frame on the lowest writable channel, then stdout, then status
    assert.deepEqual(r.frames, [
      { channel: 1, text: "" },
      { channel: 1, text: "main:a b c\n" },
      { channel: 3, text: '{"metadata":{},"status":"Success"}' },
    ]);
    assert.deepEqual(sim.calls[0].command, ["echo", "a b", "c"]);

    const failed = await rawExec(sim, "command=fail&stdout=1&stderr=1&container=main");
    assert.deepEqual(failed.frames.map((f) => f.channel), [1, 1, 2, 3]);
    assert.equal(
      failed.frames[3].text,
      '{"metadata":{},"status":"Failure","message":"command terminated with non-zero exit code: error executing ' +
        'command [fail], exit code 3","reason":"NonZeroExitCode","details":{"causes":[{"reason":"ExitCode","message":"3"}]}}',
    );

    // stdout only: stderr is not sent; tty merges stderr into stdout
    const quiet = await rawExec(sim, "command=fail&stdout=true");
    assert.deepEqual(quiet.frames.map((f) => f.channel), [1, 1, 3]);
    const tty = await rawExec(sim, "command=fail&stdout=true&stderr=true&tty=true");
    assert.deepEqual(tty.frames.map((f) => [f.channel, f.text]).slice(0, 2), [
      [1, ""],
      [1, "partial output\nsomething broke\n"],
    ]);

    // the base64 variant: text frames with an ASCII channel digit
    const b64 = await rawExec(sim, "command=echo&command=x&stdout=true", { protocols: [V4_BASE64] });
    assert.equal(b64.protocol, V4_BASE64);
    assert.deepEqual(b64.frames.slice(1).map((f) => [f.channel, f.text]), [
      [1, "main:x\n"],
      [3, '{"metadata":{},"status":"Success"}'],
    ]);

    // the token as a subprotocol, as browsers send it
    const tokenProto = "base64url.bearer.authorization.k8s.io." + btoa(ADMIN_TOKEN).replace(/=+$/, "");
    const viaProto = await rawExec(sim, "command=echo&command=y&stdout=true", {
      protocols: [tokenProto, V4],
      token: "",
    });
    assert.equal(viaProto.frames[1].text, "main:y\n");

    // a credential in the command line never reaches the request log
    await rawExec(
      sim,
      "command=curl&command=" + encodeURIComponent("Authorization: Bearer sha256~s3cr3tTOKEN") + "&stdout=1",
    );
    const records = sim.log.records({ resource: "pods" });
    assert.equal(records.length, 7);
    assert.match(records[6].query!, /^command=curl&command=Authorization/);
    assert.doesNotMatch(records[6].query!, /s3cr3tTOKEN/);
  } finally {
    await sim.close();
  }
});

Deno.test("exec refusals: 401, 403, 404, 400 (container choice, pod not running, protocol), injected faults", async () => {
  const sim = await startSim();
  try {
    const q = "command=echo&stdout=true";
    const unauth = await rejectedExec(sim, "one", q, "");
    assert.equal(unauth.code, 401);
    assert.equal(unauth.body.reason, "Unauthorized");

    const forbidden = await rejectedExec(sim, "one", q, DEV_TOKEN);
    assert.equal(forbidden.code, 403);
    assert.equal(
      forbidden.body.message,
      'pods "one" is forbidden: User "dev" cannot create resource "pods/exec" in API group "" in the namespace "ns"',
    );

    const missing = await rejectedExec(sim, "ghost", q);
    assert.equal(missing.code, 404);
    assert.deepEqual(missing.body, {
      kind: "Status",
      apiVersion: "v1",
      metadata: {},
      status: "Failure",
      message: 'pods "ghost" not found',
      reason: "NotFound",
      details: { name: "ghost", kind: "pods" },
      code: 404,
    });

    const ambiguous = await rejectedExec(sim, "two", q);
    assert.equal(ambiguous.code, 400);
    assert.equal(ambiguous.body.message, "a container name must be specified for pod two, choose one of: [alpha beta]");
    const wrong = await rejectedExec(sim, "two", q + "&container=gamma");
    assert.equal(wrong.body.message, "container gamma is not valid for pod two");
    assert.equal(wrong.code, 400);

    const pending = await rejectedExec(sim, "pending", q);
    assert.equal(pending.code, 400);
    assert.equal(pending.body.message, 'unable to upgrade connection: container not found ("main")');

    const noStreams = await rejectedExec(sim, "one", "command=echo");
    assert.equal(noStreams.code, 400);
    assert.equal(noStreams.body.message, "you must specify at least 1 of stdin, stdout, stderr");

    const oldProtocol = await rejectedExec(sim, "one", q, ADMIN_TOKEN, ["v2.channel.k8s.io"]);
    assert.equal(oldProtocol.code, 400);
    assert.match(oldProtocol.body.message, /requested protocol\(s\) are not supported/);

    sim.faults.set({ apiErrorRate: 1, apiErrorCodes: [429], retryAfterSeconds: 4 });
    const throttled = await rejectedExec(sim, "one", q);
    assert.equal(throttled.code, 429);
    assert.equal(throttled.retryAfter, "4");
    sim.faults.set({ apiErrorRate: 0 });

    // upgrades of anything but exec are not served
    const notExec = await rejectedUpgrade(sim, "/api/v1/namespaces/ns/pods/one/attach?stdout=1", ADMIN_TOKEN, [V4]);
    assert.equal(notExec.code, 404);
    assert.equal(sim.log.records({ verb: "get" })[0].path, "/api/v1/namespaces/ns/pods/one/attach");

    // the container named explicitly in a multi-container pod works
    const chosen = await rawExec(sim, q + "&command=hi&container=beta", { podName: "two" });
    assert.equal(chosen.frames[1].text, "beta:hi\n");

    assert.equal(sim.calls.length, 1, "refused requests never reach the runtime");
    const codes = sim.log.records({ resource: "pods" }).map((r) => r.code);
    assert.deepEqual(codes, [401, 403, 404, 400, 400, 400, 400, 400, 429, 101]);
  } finally {
    await sim.close();
  }
});

/** Just enough of the REST API for `kubectl exec` to find the pod: core discovery and GET pod. */
function serveMinimalApi(server: Server) {
  server.on("request", (req, res) => {
    const path = new URL(req.url ?? "/", "https://x").pathname;
    const json = (code: number, body: unknown) => {
      res.writeHead(code, { "Content-Type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const podMatch = path.match(/^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/);
    if (path === "/api") return json(200, { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [] });
    if (path === "/apis") return json(200, { kind: "APIGroupList", apiVersion: "v1", groups: [] });
    if (path === "/api/v1") {
      return json(200, {
        kind: "APIResourceList",
        groupVersion: "v1",
        resources: [
          {
            name: "pods",
            singularName: "pod",
            namespaced: true,
            kind: "Pod",
            verbs: ["get", "list"],
            shortNames: ["po"],
          },
          { name: "pods/exec", singularName: "", namespaced: true, kind: "PodExecOptions", verbs: ["create", "get"] },
        ],
      });
    }
    if (podMatch && PODS[`${podMatch[1]}/${podMatch[2]}`]) return json(200, PODS[`${podMatch[1]}/${podMatch[2]}`]);
    json(404, {
      kind: "Status",
      apiVersion: "v1",
      status: "Failure",
      reason: "NotFound",
      code: 404,
      message: "not found",
    });
  });
}

for (const transport of ["websocket", "spdy"] as const) {
  Deno.test(`real kubectl exec over ${transport}: stdin, output, exit codes as kubectl reports them`, async () => {
    await kubectlExec(transport);
  });
}

async function kubectlExec(transport: "websocket" | "spdy") {
  const sim = await startSim();
  const home = await Deno.makeTempDir();
  try {
    const kubeconfig = `${home}/kubeconfig`;
    await Deno.writeTextFile(kubeconfig, sim.kubeconfig());
    const kubectl = async (stdin: string | undefined, ...args: string[]) => {
      const child = new Deno.Command("kubectl", {
        args: ["--kubeconfig", kubeconfig, "-n", "ns", ...args],
        // kubectl >= 1.30 uses WebSockets (v5) and falls back to SPDY; older ones speak SPDY only
        env: { HOME: home, KUBECTL_REMOTE_COMMAND_WEBSOCKETS: transport === "websocket" ? "true" : "false" },
        stdin: stdin === undefined ? "null" : "piped",
        stdout: "piped",
        stderr: "piped",
      }).spawn();
      if (stdin !== undefined) {
        const w = child.stdin.getWriter();
        await w.write(new TextEncoder().encode(stdin));
        await w.close();
      }
      const out = await child.output();
      const dec = (b: Uint8Array) => new TextDecoder().decode(b);
      return { code: out.code, stdout: dec(out.stdout), stderr: dec(out.stderr) };
    };

    const echoed = await kubectl("piped to cat\n", "exec", "-i", "one", "--", "cat");
    assert.equal(echoed.stderr, "");
    assert.equal(echoed.stdout, "piped to cat\n");
    assert.equal(echoed.code, 0);

    const failed = await kubectl(undefined, "exec", "one", "-c", "main", "--", "fail");
    assert.equal(failed.stdout, "partial output\n");
    assert.match(failed.stderr, /something broke\n/);
    assert.match(failed.stderr, /command terminated with exit code 3/);
    assert.equal(failed.code, 3);

    const notFound = await kubectl(undefined, "exec", "two", "-c", "gamma", "--", "echo");
    assert.notEqual(notFound.code, 0);
    assert.match(notFound.stderr, /container gamma is not valid for pod two/);
  } finally {
    await sim.close();
    await Deno.remove(home, { recursive: true });
  }
}
