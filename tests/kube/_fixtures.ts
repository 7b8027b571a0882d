/** Shared test helpers: a scripted HTTPS API server (sim/certs) and kubeconfig files in temp dirs. */
import { dump } from "js-yaml";
import type { GlobalOptions, Logger } from "../../lib/cli/context.ts";

const certDir = new URL("../../sim/certs/", import.meta.url);
export const CA_PEM = Deno.readTextFileSync(new URL("ca.crt", certDir));
export const SERVER_CERT = Deno.readTextFileSync(new URL("server.crt", certDir));
export const SERVER_KEY = Deno.readTextFileSync(new URL("server.key", certDir));
export const CLIENT_CERT = Deno.readTextFileSync(new URL("client.crt", certDir));
export const CLIENT_KEY = Deno.readTextFileSync(new URL("client.key", certDir));

export const b64 = (s: string) => btoa(s);

export function globals(over: Partial<GlobalOptions> = {}): GlobalOptions {
  return { verbose: 0, output: "human", color: "never", ...over };
}

/** A logger that keeps every line. */
export function captureLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, debug: (level, message) => lines.push(`[${level}] ${message}`) };
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: Headers;
  body: string;
}

export interface TestServer {
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** An HTTPS server on an ephemeral port that records every request and answers with `handler`. */
export function startServer(
  handler: (req: RecordedRequest, raw: Request) => Response | Promise<Response>,
  opts: { hostname?: string } = {},
): TestServer {
  const requests: RecordedRequest[] = [];
  const server = Deno.serve(
    { port: 0, hostname: opts.hostname ?? "127.0.0.1", cert: SERVER_CERT, key: SERVER_KEY, onListen() {} },
    async (raw) => {
      const url = new URL(raw.url);
      const rec: RecordedRequest = {
        method: raw.method,
        path: url.pathname,
        query: url.searchParams,
        headers: new Headers(raw.headers),
        body: raw.headers.get("upgrade") ? "" : await raw.text(),
      };
      requests.push(rec);
      return await handler(rec, raw);
    },
  );
  const port = server.addr.port;
  return { url: `https://127.0.0.1:${port}`, port, requests, close: () => server.shutdown() };
}

export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });

export const statusBody = (code: number, reason: string, message: string, details: Record<string, unknown> = {}) => ({
  kind: "Status",
  apiVersion: "v1",
  status: "Failure",
  code,
  reason,
  message,
  details,
});

export async function writeKubeconfig(dir: string, name: string, doc: unknown): Promise<string> {
  const path = `${dir}/${name}`;
  await Deno.writeTextFile(path, typeof doc === "string" ? doc : dump(doc));
  return path;
}

/** A one-context kubeconfig for `server` with the sim CA and the given user entry. */
export function simpleKubeconfig(server: string, user: Record<string, unknown>, cluster: Record<string, unknown> = {}) {
  return {
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: "c", cluster: { server, "certificate-authority-data": b64(CA_PEM), ...cluster } }],
    users: [{ name: "u", user }],
    contexts: [{ name: "ctx", context: { cluster: "c", user: "u", namespace: "ns1" } }],
    "current-context": "ctx",
  };
}
