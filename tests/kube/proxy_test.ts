/** proxy-url from the kubeconfig is used: requests tunnel through an HTTP CONNECT proxy. */
import { assert, assertEquals } from "./_assert.ts";
import { connect } from "../../lib/kube/connect.ts";
import { R } from "../../lib/kube/resources.ts";
import { captureLogger, globals, json, simpleKubeconfig, startServer, writeKubeconfig } from "./_fixtures.ts";

/** A minimal CONNECT proxy on an ephemeral port; records the targets it tunnelled to. */
function startConnectProxy() {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const targets: string[] = [];
  const conns = new Set<Deno.Conn>();
  const serve = async () => {
    for await (const client of listener) {
      conns.add(client);
      (async () => {
        const buf = new Uint8Array(4096);
        let head = "";
        while (!head.includes("\r\n\r\n")) {
          const n = await client.read(buf);
          if (n === null) return;
          head += new TextDecoder().decode(buf.subarray(0, n));
        }
        const [, target] = head.split(" ", 2);
        targets.push(target);
        const [hostname, port] = target.split(":");
        const upstream = await Deno.connect({ hostname, port: Number(port) });
        conns.add(upstream);
        await client.write(new TextEncoder().encode("HTTP/1.1 200 Connection Established\r\n\r\n"));
        await Promise.allSettled([
          client.readable.pipeTo(upstream.writable),
          upstream.readable.pipeTo(client.writable),
        ]);
      })().catch(() => {});
    }
  };
  const done = serve().catch(() => {});
  return {
    url: `http://127.0.0.1:${(listener.addr as Deno.NetAddr).port}`,
    targets,
    async close() {
      listener.close();
      for (const c of conns) {
        try {
          c.close();
        } catch { /* already closed */ }
      }
      await done;
    },
  };
}

Deno.test("proxy-url: API requests go through the HTTP CONNECT proxy named in the kubeconfig", async () => {
  const server = startServer(() => json({ metadata: { name: "cluster" } }));
  const proxy = startConnectProxy();
  const dir = await Deno.makeTempDir();
  const file = await writeKubeconfig(
    dir,
    "config",
    simpleKubeconfig(server.url, { token: "proxy-test-token-123" }, { "proxy-url": proxy.url }),
  );
  const kube = await connect(globals({ kubeconfig: file }), captureLogger());
  try {
    assertEquals((await kube.get(R.networkConfig, "cluster"))?.metadata.name, "cluster");
    assert(proxy.targets.includes(`127.0.0.1:${server.port}`), `tunnelled to the API server (${proxy.targets})`);
    assertEquals(server.requests[0].headers.get("authorization"), "Bearer proxy-test-token-123");
  } finally {
    await kube.close?.();
    await proxy.close();
    await server.close();
  }
});
