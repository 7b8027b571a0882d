/** Watch resumption and 410 re-list, and exec over WebSocket, against a scripted HTTPS server. */
import { assert, assertEquals, assertMatch, assertRejects } from "./_assert.ts";
import { KubeError } from "../../lib/errors.ts";
import { connect } from "../../lib/kube/connect.ts";
import { R } from "../../lib/kube/resources.ts";
import type { Kube, KubeObject } from "../../lib/kube/types.ts";
import https from "node:https";
import { type WebSocket as WsSocket, WebSocketServer } from "ws";
import {
  captureLogger,
  globals,
  json,
  type RecordedRequest,
  SERVER_CERT,
  SERVER_KEY,
  simpleKubeconfig,
  startServer,
  type TestServer,
  writeKubeconfig,
} from "./_fixtures.ts";

const TOKEN = "sha256~watch-exec-token-abcdef";

async function clientFor(server: TestServer, extra: Parameters<typeof globals>[0] = {}): Promise<Kube> {
  const dir = await Deno.makeTempDir();
  const file = await writeKubeconfig(dir, "config", simpleKubeconfig(server.url, { token: TOKEN }));
  return await connect(globals({ kubeconfig: file, ...extra }), captureLogger());
}

const node = (name: string, rv: string) => ({ metadata: { name, resourceVersion: rv } });
const line = (o: unknown) => new TextEncoder().encode(JSON.stringify(o) + "\n");

/** A watch response: the given events, then either the end of the stream or an open stream until cancelled. */
function stream(events: unknown[], keepOpen = false): Response {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const e of events) controller.enqueue(line(e));
      if (!keepOpen) controller.close();
    },
  });
  return new Response(body, { headers: { "content-type": "application/json" } });
}

Deno.test("watch lists first, resumes from the last resourceVersion (bookmarks too) and re-lists on 410", async () => {
  let watches = 0;
  let lists = 0;
  const server = startServer((req: RecordedRequest) => {
    if (req.path !== "/api/v1/nodes") return json({}, 404);
    if (req.query.get("watch") !== "true") {
      lists++;
      return lists === 1 ? json({ metadata: { resourceVersion: "100" }, items: [node("n1", "90")] }) : json({
        metadata: { resourceVersion: "200" },
        items: [node("n1", "90"), node("n2", "101"), node("n3", "150")],
      });
    }
    watches++;
    if (watches === 1) {
      return stream([
        { type: "ADDED", object: node("n2", "101") },
        { type: "BOOKMARK", object: { metadata: { resourceVersion: "105" } } },
      ]);
    }
    if (watches === 2) {
      return stream([{ type: "ERROR", object: { kind: "Status", code: 410, reason: "Expired", message: "too old" } }]);
    }
    return stream([{ type: "MODIFIED", object: node("n3", "201") }], true);
  });
  const kube = await clientFor(server);
  const abort = new AbortController();
  const events: string[] = [];
  const syncs: string[][] = [];
  try {
    await kube.watch(R.node, {
      signal: abort.signal,
      onSync: (items) => syncs.push(items.map((i) => i.metadata.name)),
    }, (type, obj: KubeObject) => {
      events.push(`${type} ${obj.metadata.name} ${obj.metadata.resourceVersion}`);
      if (obj.metadata.resourceVersion === "201") abort.abort();
    });
    assertEquals(events, ["ADDED n2 101", "MODIFIED n3 201"]);
    assertEquals(syncs, [["n1"], ["n1", "n2", "n3"]]);
    const watchRvs = server.requests.filter((r) => r.query.get("watch") === "true").map((r) =>
      r.query.get("resourceVersion")
    );
    assertEquals(watchRvs, ["100", "105", "200"]);
    assert(
      server.requests.filter((r) => r.query.get("watch") === "true").every((r) =>
        r.query.get("allowWatchBookmarks") === "true"
      ),
      "bookmarks requested",
    );
    assertEquals(server.requests[0].headers.get("authorization"), `Bearer ${TOKEN}`);
  } finally {
    await kube.close?.();
    await server.close();
  }
});

Deno.test("watch from a given resourceVersion skips the list; an HTTP 410 at connect re-lists; signal stops it", async () => {
  let watches = 0;
  const server = startServer((req) => {
    if (req.query.get("watch") !== "true") {
      return json({ metadata: { resourceVersion: "50" }, items: [node("a", "50")] });
    }
    watches++;
    if (watches === 1) return json({ kind: "Status", code: 410, reason: "Gone", message: "gone" }, 410);
    return stream([{ type: "DELETED", object: node("a", "51") }], true);
  });
  const kube = await clientFor(server, { as: "alice", asGroup: ["g1", "g2"] });
  const abort = new AbortController();
  const seen: string[] = [];
  let syncs = 0;
  try {
    await kube.watch(
      R.configMap,
      { namespace: "ns", resourceVersion: "7", signal: abort.signal, onSync: () => syncs++ },
      (type, obj) => {
        seen.push(`${type} ${obj.metadata.name}`);
        abort.abort();
      },
    );
    assertEquals(seen, ["DELETED a"]);
    assertEquals(syncs, 1);
    assertEquals(server.requests[0].query.get("resourceVersion"), "7");
    assertEquals(server.requests[0].path, "/api/v1/namespaces/ns/configmaps");
    // Two Impersonate-Group lines (the Fetch API joins them with ", "), not one "g1,g2" group.
    assertEquals(server.requests[0].headers.get("impersonate-group"), "g1, g2");
    assertEquals(server.requests[0].headers.get("impersonate-user"), "alice");
  } finally {
    await kube.close?.();
    await server.close();
  }
});

Deno.test("an error thrown by the watch callback reaches the caller; 403 on watch is not retried", async () => {
  const server = startServer((req) => {
    if (req.path === "/api/v1/pods") {
      return json({ kind: "Status", code: 403, reason: "Forbidden", message: "no" }, 403);
    }
    return stream([{ type: "ADDED", object: node("x", "2") }], true);
  });
  const kube = await clientFor(server);
  try {
    const err = await assertRejects(
      () =>
        kube.watch(R.node, { resourceVersion: "1" }, () => {
          throw new RangeError("consumer failed");
        }),
      RangeError,
    );
    assertEquals(err.message, "consumer failed");
    const denied = await assertRejects(() => kube.watch(R.pod, { resourceVersion: "1" }, () => {}), KubeError);
    assertMatch(denied.message, /not allowed to watch pods/);
  } finally {
    await kube.close?.();
    await server.close();
  }
});

/**
 * A kubelet-like exec endpoint speaking v5.channel.k8s.io, on node:https + ws (Deno.upgradeWebSocket
 * only accepts a ", "-separated protocol list, and ws sends ",").
 */
async function execServer(script: (socket: WsSocket, req: RecordedRequest) => void): Promise<TestServer> {
  const requests: RecordedRequest[] = [];
  const server = https.createServer({ cert: SERVER_CERT, key: SERVER_KEY }, (_req, res) => {
    res.writeHead(404, { "content-type": "application/json" });
    res.end(JSON.stringify({ kind: "Status", code: 404, reason: "NotFound", message: "pods not found" }));
  });
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols: Set<string>) => protocols.has("v5.channel.k8s.io") ? "v5.channel.k8s.io" : false,
  });
  server.on("upgrade", (req, socket, head) => {
    const url = new URL(req.url ?? "/", "https://localhost");
    const headers = new Headers();
    for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
    const rec = { method: req.method ?? "GET", path: url.pathname, query: url.searchParams, headers, body: "" };
    requests.push(rec);
    if (url.pathname.includes("/pods/nope/")) {
      socket.end("HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\n\r\n");
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => script(ws, rec));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    port,
    requests,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

const frame = (channel: number, text: string) => {
  const body = new TextEncoder().encode(text);
  const out = new Uint8Array(body.length + 1);
  out[0] = channel;
  out.set(body, 1);
  return out;
};

Deno.test("exec collects stdout and stderr and reads the exit code from the status channel", async () => {
  const server = await execServer((socket) => {
    {
      socket.send(frame(1, '{"status":"success",'));
      socket.send(frame(1, '"data":{}}'));
      socket.send(frame(2, "warning: something\n"));
      socket.send(frame(
        3,
        JSON.stringify({
          status: "Failure",
          reason: "NonZeroExitCode",
          message: "command terminated with non-zero exit code",
          details: { causes: [{ reason: "ExitCode", message: "7" }] },
        }),
      ));
      socket.close();
    }
  });
  const kube = await clientFor(server);
  try {
    const r = await kube.exec("openshift-monitoring", "prometheus-k8s-0", "prometheus", [
      "curl",
      "-s",
      "http://localhost:9090/api/v1/query?query=up",
    ]);
    assertEquals(r, { stdout: '{"status":"success","data":{}}', stderr: "warning: something\n", exitCode: 7 });
    const req = server.requests[0];
    assertEquals(req.path, "/api/v1/namespaces/openshift-monitoring/pods/prometheus-k8s-0/exec");
    assertEquals(req.query.getAll("command"), ["curl", "-s", "http://localhost:9090/api/v1/query?query=up"]);
    assertEquals(req.query.get("container"), "prometheus");
    assertEquals(req.headers.get("authorization"), `Bearer ${TOKEN}`);
  } finally {
    await kube.close?.();
    await server.close();
  }
});

Deno.test("exec sends stdin, succeeds with exit code 0, and times out when the command hangs", async () => {
  const server = await execServer((socket, req) => {
    if (req.query.getAll("command")[0] === "sleep") return; // never answers
    let input = "";
    socket.on("message", (raw: Uint8Array) => {
      const data = new Uint8Array(raw);
      if (data[0] === 0) input += new TextDecoder().decode(data.subarray(1));
      if (data[0] === 255 && data[1] === 0) {
        socket.send(frame(1, input.toUpperCase()));
        socket.send(frame(3, JSON.stringify({ status: "Success" })));
        socket.close();
      }
    });
  });
  const kube = await clientFor(server);
  try {
    const r = await kube.exec("ns", "pod", "c", ["tr", "a-z", "A-Z"], { stdin: "hello" });
    assertEquals(r, { stdout: "HELLO", stderr: "", exitCode: 0 });
    const err = await assertRejects(() => kube.exec("ns", "pod", "c", ["sleep", "100"], { timeoutMs: 300 }), KubeError);
    assertMatch(err.message, /did not finish within 0\.3 s/);
    const missing = await assertRejects(() => kube.exec("ns", "nope", "c", ["true"]), KubeError);
    assertEquals(missing.status, 404);
  } finally {
    await kube.close?.();
    await server.close();
  }
});
