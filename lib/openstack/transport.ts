/**
 * One HTTP exchange, over Deno's fetch (`Deno.createHttpClient` carries `cacert` and `cert`/`key`) or, for a
 * cloud with `verify: false`, over `node:https` with `rejectUnauthorized: false`: Deno's fetch has no way to
 * skip certificate verification for one client (only the process-wide `--unsafely-ignore-certificate-errors`
 * flag), and node:https under Deno honours the option per request. Failures without an answer come back as a
 * `TransportFailure` saying whether the request can have reached the server (what decides if a POST may be
 * repeated).
 */
import https from "node:https";
import http from "node:http";
import type { TransportKind } from "./errors.ts";

export interface TransportRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Per-attempt timeout in milliseconds; 0 or absent = none. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface TransportResponse {
  status: number;
  headers: Headers;
  text: string;
}

/** TLS settings with the PEM material already read. */
export interface TlsMaterial {
  /** false = do not verify the server's certificate. */
  verify: boolean;
  /** Extra trusted CA certificates (PEM), in addition to the system roots. */
  caPem?: string;
  /** Client certificate and key (PEM). */
  certPem?: string;
  keyPem?: string;
}

export interface Transport {
  readonly kind: "fetch" | "node-https";
  send(req: TransportRequest): Promise<TransportResponse>;
  close(): void;
}

/** No HTTP answer. `sent: false` = the request certainly never reached the server. */
export class TransportFailure extends Error {
  constructor(readonly kind: TransportKind, readonly sent: boolean | undefined, message: string, cause?: unknown) {
    super(message, { cause });
    this.name = "TransportFailure";
  }
}

export function createTransport(tls: TlsMaterial): Transport {
  return tls.verify ? new FetchTransport(tls) : new NodeHttpsTransport(tls);
}

function timeoutSignal(req: TransportRequest): AbortSignal | undefined {
  const signals: AbortSignal[] = [];
  if (req.timeoutMs && req.timeoutMs > 0) signals.push(AbortSignal.timeout(req.timeoutMs));
  if (req.signal) signals.push(req.signal);
  if (signals.length === 0) return undefined;
  return signals.length === 1 ? signals[0] : AbortSignal.any(signals);
}

/** The innermost message of an error chain (fetch wraps the real reason in "fetch failed"). */
function innermost(err: unknown): string {
  let message = err instanceof Error ? err.message : String(err);
  let cur = (err as { cause?: unknown })?.cause;
  for (let i = 0; cur && i < 5; i++) {
    if (cur instanceof Error && cur.message) message = cur.message;
    cur = (cur as { cause?: unknown }).cause;
  }
  return message;
}

function isTimeout(err: unknown, signal?: AbortSignal): boolean {
  const reason = signal?.reason as { name?: string } | undefined;
  let cur: unknown = err;
  for (let i = 0; cur && i < 5; i++) {
    if ((cur as { name?: string }).name === "TimeoutError") return true;
    cur = (cur as { cause?: unknown }).cause;
  }
  return signal?.aborted === true && reason?.name === "TimeoutError";
}

const TLS_TEXT = /certificate|self[- ]signed|unknown ?issuer|invalid peer|handshake|tls|ssl/i;

export class FetchTransport implements Transport {
  readonly kind = "fetch";
  private readonly client: Deno.HttpClient;

  constructor(tls: TlsMaterial) {
    const options: Deno.CreateHttpClientOptions = tls.caPem ? { caCerts: [tls.caPem] } : {};
    this.client = tls.certPem && tls.keyPem
      ? Deno.createHttpClient({ ...options, cert: tls.certPem, key: tls.keyPem })
      : Deno.createHttpClient(options);
  }

  async send(req: TransportRequest): Promise<TransportResponse> {
    const signal = timeoutSignal(req);
    try {
      const resp = await fetch(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body,
        signal,
        client: this.client,
      });
      return { status: resp.status, headers: resp.headers, text: await resp.text() };
    } catch (err) {
      throw classifyFetchError(err, signal);
    }
  }

  close(): void {
    this.client.close();
  }
}

function classifyFetchError(err: unknown, signal?: AbortSignal): TransportFailure {
  const message = innermost(err);
  if (isTimeout(err, signal)) return new TransportFailure("timeout", undefined, "timed out", err);
  if ((err as { name?: string })?.name === "AbortError") {
    return new TransportFailure("aborted", undefined, message, err);
  }
  // Deno's fetch (hyper) says where it failed: "client error (Connect)" is before anything was sent.
  const connectPhase = /client error \(Connect\)|dns error|tcp connect error|Connection refused/i.test(message);
  // Only the text after the phase: the URL before it may well contain "ssl" or "tls".
  const reason = message.split(/client error \(Connect\):?/).pop() ?? message;
  if (connectPhase && TLS_TEXT.test(reason)) {
    return new TransportFailure("tls", false, message, err);
  }
  if (connectPhase) return new TransportFailure("connect", false, message, err);
  return new TransportFailure("reset", undefined, message, err);
}

const NOT_SENT = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ERR_INVALID_URL"]);

/** `verify: false`: node:https with rejectUnauthorized false (plain http URLs go through node:http). */
export class NodeHttpsTransport implements Transport {
  readonly kind = "node-https";
  private readonly httpsAgent: https.Agent;
  private readonly httpAgent = new http.Agent({ keepAlive: true });

  constructor(tls: TlsMaterial) {
    this.httpsAgent = new https.Agent({
      keepAlive: true,
      rejectUnauthorized: false,
      cert: tls.certPem,
      key: tls.keyPem,
    });
  }

  send(req: TransportRequest): Promise<TransportResponse> {
    const signal = timeoutSignal(req);
    const url = new URL(req.url);
    const mod = url.protocol === "https:" ? https : http;
    const agent = url.protocol === "https:" ? this.httpsAgent : this.httpAgent;
    return new Promise((resolve, reject) => {
      let settled = false;
      const fail = (err: unknown) => {
        if (settled) return;
        settled = true;
        reject(classifyNodeError(err, signal));
      };
      const headers: Record<string, string> = { ...req.headers };
      if (req.body !== undefined) headers["Content-Length"] = String(new TextEncoder().encode(req.body).length);
      const r = mod.request(url, { method: req.method, headers, agent, signal }, (res) => {
        const chunks: Uint8Array[] = [];
        res.on("data", (c: Uint8Array) => chunks.push(c));
        res.on("error", fail);
        res.on("end", () => {
          if (settled) return;
          settled = true;
          const h = new Headers();
          for (const [k, v] of Object.entries(res.headers)) {
            if (Array.isArray(v)) v.forEach((x) => h.append(k, x));
            else if (v !== undefined) h.set(k, String(v));
          }
          const total = chunks.reduce((n, c) => n + c.length, 0);
          const buf = new Uint8Array(total);
          let off = 0;
          for (const c of chunks) {
            buf.set(c, off);
            off += c.length;
          }
          resolve({ status: res.statusCode ?? 0, headers: h, text: new TextDecoder().decode(buf) });
        });
      });
      r.on("error", fail);
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
  }

  close(): void {
    this.httpsAgent.destroy();
    this.httpAgent.destroy();
  }
}

function classifyNodeError(err: unknown, signal?: AbortSignal): TransportFailure {
  const code = (err as { code?: string })?.code;
  const message = innermost(err);
  if (isTimeout(err, signal)) return new TransportFailure("timeout", undefined, "timed out", err);
  if ((err as { name?: string })?.name === "AbortError") {
    return new TransportFailure("aborted", undefined, message, err);
  }
  if (code && NOT_SENT.has(code)) return new TransportFailure("connect", false, message, err);
  if (code && (/^ERR_(SSL|TLS)/.test(code) || /CERT/.test(code))) {
    return new TransportFailure("tls", false, message, err);
  }
  return new TransportFailure("reset", undefined, message, err);
}
