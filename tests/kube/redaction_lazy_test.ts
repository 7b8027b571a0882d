/**
 * Credentials never show in any output, even at -v 9; and the Kubernetes client is reachable from
 * connect.ts only through its dynamic import (so --help and version never load it).
 */
import { assert, assertEquals, assertNoMatch } from "./_assert.ts";
import { connect } from "../../lib/kube/connect.ts";
import { R } from "../../lib/kube/resources.ts";
import { redact } from "../../lib/redact.ts";
import {
  b64,
  captureLogger,
  CLIENT_CERT,
  CLIENT_KEY,
  globals,
  json,
  simpleKubeconfig,
  startServer,
  writeKubeconfig,
} from "./_fixtures.ts";

const TOKEN = "sha256~Secr3tTokenThatMustNeverAppear0123456789";

Deno.test("no credential appears in -v 9 logs or error messages, even when the server echoes it", async () => {
  const server = startServer((req) => {
    const auth = req.headers.get("authorization") ?? "";
    if (req.path === "/api/v1/nodes") {
      return json({ metadata: {}, items: [{ metadata: { name: "n", annotations: { leaked: auth } } }] });
    }
    if (req.path.startsWith("/api/v1/namespaces/ns/configmaps")) {
      return json({ kind: "Status", code: 422, reason: "Invalid", message: `bad header ${auth}` }, 422);
    }
    return json({ kind: "Status", code: 401, reason: "Unauthorized", message: `token ${auth} rejected` }, 401);
  });
  const dir = await Deno.makeTempDir();
  const file = await writeKubeconfig(
    dir,
    "config",
    simpleKubeconfig(server.url, {
      token: TOKEN,
      "client-certificate-data": b64(CLIENT_CERT),
      "client-key-data": b64(CLIENT_KEY),
    }),
  );
  const log = captureLogger();
  const outputs: string[] = [];
  const kube = await connect(globals({ kubeconfig: file, verbose: 9 }), log);
  try {
    // Printed output goes through redact() (lib/cli does that for every line), like the logs here.
    outputs.push(redact(JSON.stringify(await kube.list(R.node))));
    for (
      const attempt of [
        () => kube.create(R.configMap, { metadata: { name: "x", namespace: "ns" } }),
        () => kube.apiGroups(),
      ]
    ) {
      try {
        await attempt();
      } catch (err) {
        const e = err as Error & { hint?: string };
        outputs.push(redact(`${e.message}\n${e.hint ?? ""}`));
      }
    }
  } finally {
    await kube.close?.();
    await server.close();
  }
  const everything = [...log.lines, ...outputs].join("\n");
  assert(log.lines.some((l) => l.startsWith("[9] response body")), "level 9 logs the response bodies");
  assert(everything.includes("[REDACTED]"), "the echoed token was masked");
  assertNoMatch(everything, /Secr3tTokenThatMustNeverAppear/);
  assertNoMatch(everything, new RegExp(b64(CLIENT_KEY).slice(0, 40).replace(/[+/]/g, "\\$&")));
  const keyLine = CLIENT_KEY.split("\n")[1];
  assert(!everything.includes(keyLine), "no line of the private key");
});

async function staticGraph(entry: string): Promise<string[]> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", entry],
    cwd: new URL("../../", import.meta.url).pathname,
    stdout: "piped",
    stderr: "null",
  }).output();
  assert(out.success, "deno info failed");
  const graph = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: { specifier: string; dependencies?: { code?: { specifier?: string }; isDynamic?: boolean }[] }[];
  };
  const bySpecifier = new Map(graph.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const queue = [...graph.roots];
  while (queue.length) {
    const s = queue.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const dep of bySpecifier.get(s)?.dependencies ?? []) {
      if (!dep.isDynamic && dep.code?.specifier) queue.push(dep.code.specifier);
    }
  }
  return [...seen];
}

Deno.test("connect.ts and kubeconfig.ts do not statically load @kubernetes/client-node", async () => {
  for (const entry of ["lib/kube/connect.ts", "lib/kube/kubeconfig.ts", "lib/kube/errors.ts", "lib/kube/schemas.ts"]) {
    const modules = await staticGraph(entry);
    assert(modules.length > 1, `graph of ${entry} was read`);
    assertEquals(modules.filter((m) => m.includes("kubernetes/client-node") || m.endsWith("/lib/kube/client.ts")), []);
  }
});
