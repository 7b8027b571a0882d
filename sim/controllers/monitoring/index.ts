/**
 * The simulated Prometheus (cluster-behaviour.md §3, procedures.md §7): an exec handler for the `prometheus`
 * container of `openshift-monitoring/prometheus-k8s-{0,1}` that answers curl queries to the query API with
 * the exact Prometheus JSON, evaluated over the simulated metrics.
 */
import type { Controller, ExecRequest, ExecResult, SimContext } from "../../types.ts";
import { CurlUsageError, parseCurl } from "./curl.ts";
import { evaluate, formatValue, PromQLError } from "./promql.ts";
import { scrapedSamples } from "./samples.ts";
import { ShellSyntaxError, shellWords } from "./shell_words.ts";

const LOCAL_HOSTS = ["localhost", "127.0.0.1", "[::1]"];
const SERVICE_HOSTS = [
  "prometheus-k8s.openshift-monitoring.svc",
  "prometheus-k8s.openshift-monitoring.svc.cluster.local",
  "thanos-querier.openshift-monitoring.svc",
  "thanos-querier.openshift-monitoring.svc.cluster.local",
];

interface HttpAnswer {
  code: number;
  body: string;
}

export class PrometheusController implements Controller {
  readonly name = "prometheus";
  #ctx?: SimContext;

  start(ctx: SimContext): void {
    this.#ctx = ctx;
    ctx.exec.register((req) => this.handle(req));
  }

  stop(): void {
    this.#ctx = undefined;
  }

  /** Answers curl in the prometheus container; anything else is left to the registry (exit 127). */
  handle(req: ExecRequest): ExecResult | undefined {
    if (!this.#ctx) return undefined;
    if (req.namespace !== "openshift-monitoring" || !/^prometheus-k8s-\d+$/.test(req.pod.metadata?.name ?? "")) {
      return undefined;
    }
    if (req.container !== "prometheus") return undefined;
    const cmd = req.command;
    const isCurl = (w: string | undefined) => w === "curl" || w === "/usr/bin/curl" || w === "/bin/curl";
    if (isCurl(cmd[0])) return this.#curl(cmd.slice(1));
    if (/^(\/bin\/|\/usr\/bin\/)?(ba)?sh$/.test(cmd[0] ?? "") && cmd[1] === "-c" && cmd[2] !== undefined) {
      let words: string[];
      try {
        words = shellWords(cmd[2]);
      } catch (e) {
        return { stderr: `sh: ${(e as ShellSyntaxError).message}\n`, exitCode: 2 };
      }
      if (!isCurl(words[0])) return undefined;
      const op = words.findIndex((w) => w.startsWith("\0"));
      if (op < 0) return this.#curl(words.slice(1));
      const next = words[op + 1];
      if (words[op] === "\0|" && next !== undefined) {
        // The prometheus image has no jq or other filters.
        return { stderr: `sh: ${next}: not found\n`, exitCode: 127 };
      }
      return this.#curl(words.slice(1, op));
    }
    return undefined;
  }

  #curl(args: string[]): ExecResult {
    let req;
    try {
      req = parseCurl(args);
    } catch (e) {
      const ce = e as CurlUsageError;
      return { stderr: ce.message + "\n", exitCode: ce.exitCode };
    }
    const fail = (exitCode: number, message: string): ExecResult => ({
      stderr: !req.silent || req.showError ? `curl: (${exitCode}) ${message}\n` : "",
      exitCode,
    });
    let url: URL;
    try {
      url = new URL(/^[a-z]+:\/\//i.test(req.url!) ? req.url! : `http://${req.url}`);
    } catch {
      return fail(3, "URL using bad/illegal format or missing URL");
    }
    const host = url.hostname;
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    let answer: HttpAnswer;
    if (LOCAL_HOSTS.includes(host)) {
      if (port !== "9090") {
        return fail(7, `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`);
      }
      if (url.protocol === "https:") {
        return fail(35, "OpenSSL/3.0.7: error:0A00010B:SSL routines::wrong version number");
      }
      answer = this.#serve(url, req.data, req.get);
    } else if (SERVICE_HOSTS.includes(host)) {
      if (port !== "9091" || url.protocol !== "https:") {
        return fail(7, `Failed to connect to ${host} port ${port} after 0 ms: Couldn't connect to server`);
      }
      if (!req.insecure) {
        return fail(
          60,
          "SSL certificate problem: self-signed certificate in certificate chain\nMore details here: " +
            "https://curl.se/docs/sslcerts.html",
        );
      }
      answer = /^Bearer \S+/.test(req.headers["authorization"] ?? "")
        ? this.#serve(url, req.data, req.get)
        : { code: 401, body: "Unauthorized\n" };
    } else {
      return fail(6, `Could not resolve host: ${host}`);
    }
    if (req.fail && answer.code >= 400) return fail(22, `The requested URL returned error: ${answer.code}`);
    let stdout = req.output ? "" : answer.body;
    if (req.writeOut) stdout += req.writeOut.replaceAll("%{http_code}", String(answer.code)).replaceAll("\\n", "\n");
    return { stdout, exitCode: 0 };
  }

  /** The Prometheus HTTP API: /api/v1/query (GET or POST form), /-/healthy, /-/ready. */
  #serve(url: URL, data: string[], get: boolean): HttpAnswer {
    const path = url.pathname;
    if (path === "/-/healthy") return { code: 200, body: "Prometheus Server is Healthy.\n" };
    if (path === "/-/ready") return { code: 200, body: "Prometheus Server is Ready.\n" };
    if (path !== "/api/v1/query") return { code: 404, body: "404 page not found\n" };
    // Form data is the body of a POST or, with -G, appended to the URL's query string. Go's ParseForm puts
    // POST body values before the URL's, so the body wins for a POST.
    const form = new URLSearchParams(data.join("&"));
    const params = new URLSearchParams(get || !data.length ? url.search : form);
    for (const [k, v] of get || !data.length ? form : new URLSearchParams(url.search)) params.append(k, v);
    const query = params.get("query") ?? "";
    const { store, metrics, clock } = this.#ctx!;
    const ts = Math.round(clock.now()) / 1000;
    try {
      const r = evaluate(query, scrapedSamples(metrics, store));
      const data = r.type === "scalar" ? { resultType: "scalar", result: [ts, formatValue(r.value)] } : {
        resultType: "vector",
        result: r.samples
          .map((s) => ({ metric: sortedLabels(s.labels), value: [ts, formatValue(s.value)] }))
          .sort((a, b) => JSON.stringify(a.metric).localeCompare(JSON.stringify(b.metric))),
      };
      return { code: 200, body: JSON.stringify({ status: "success", data }) };
    } catch (e) {
      if (!(e instanceof PromQLError)) throw e;
      return {
        code: 400,
        body: JSON.stringify({
          status: "error",
          errorType: "bad_data",
          error: `invalid parameter "query": ${e.message}`,
        }),
      };
    }
  }
}

function sortedLabels(labels: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of Object.keys(labels).sort()) out[k] = labels[k];
  return out;
}
