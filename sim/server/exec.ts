/**
 * pods/exec over WebSocket, spoken the way kubelet (behind the apiserver) speaks it, so kubectl and
 * @kubernetes/client-node work unchanged: subprotocols v5.channel.k8s.io / v4.channel.k8s.io /
 * v4.base64.channel.k8s.io, channel 0 stdin, 1 stdout, 2 stderr, 3 status (metav1.Status JSON), 4 resize,
 * and in v5 the close signal [255, channel]. The command itself runs through the simulation's ExecRegistry,
 * which needs the whole stdin first, so stdin is collected until the client closes it.
 *
 * The `ws` package does the handshake: Deno.upgradeWebSocket rejects client-node's protocol list
 * ("a,b" without a space), which the ws parser accepts. kubectl before 1.30 speaks SPDY/3.1 instead
 * (protocol v4.channel.k8s.io, one SPDY stream per channel); runSpdySession serves that.
 */
import type { IncomingMessage } from "node:http";
import type { Server } from "node:https";
import type { Duplex } from "node:stream";
// @ts-types="@types/ws"
import { type RawData, type WebSocket, WebSocketServer } from "ws";
import { redact } from "../../lib/redact.ts";
import { type Obj, StoreError } from "../store.ts";
import type { ExecRegistry, ExecResult } from "../types.ts";
import { type Decision, forbiddenMessage, type RequestAttributes, type UserInfo } from "./auth.ts";
import type { FaultInjector } from "./faults.ts";
import type { RequestLog } from "./request_log.ts";

export const V5 = "v5.channel.k8s.io";
export const V4 = "v4.channel.k8s.io";
export const V4_BASE64 = "v4.base64.channel.k8s.io";
const SUPPORTED = [V5, V4, V4_BASE64];
/** Browsers cannot set headers; the apiserver accepts the token as a subprotocol instead. */
const BEARER_PROTOCOL = "base64url.bearer.authorization.k8s.io.";

/** Channel numbers; 4 (resize) is accepted and ignored. */
const STDIN = 0, STDOUT = 1, STDERR = 2, STATUS = 3, CLOSE = 255;
/** Kubelet copies output in 32 KiB pieces; frames stay small for slow clients. */
const CHUNK = 32 * 1024;

const SPDY_UPGRADE = "spdy/3.1";
const SPDY_SYN_STREAM = 1, SPDY_SYN_REPLY = 2, SPDY_RST_STREAM = 3, SPDY_PING = 6, SPDY_GOAWAY = 7;
const SPDY_FLAG_FIN = 0x01;

const EXEC_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec\/?$/;

export interface ExecServerOptions {
  /** Token/certificate + impersonation; may throw StoreError (e.g. 403 on impersonation). */
  authenticate(req: IncomingMessage): UserInfo | undefined;
  authorize(user: UserInfo, attrs: RequestAttributes): Decision;
  resolvePod(namespace: string, name: string): Obj | undefined;
  exec: ExecRegistry;
  faults?: FaultInjector;
  /** Records verb "create", resource "pods", subresource "exec". */
  requestLog?: RequestLog;
  log(message: string): void;
}

/** Lets the owner end open exec sessions (a server's close() waits for upgraded sockets). */
export interface ExecServerHandle {
  closeAll(): void;
}

/** Parsed and validated query of one exec request. */
interface ExecParams {
  namespace: string;
  podName: string;
  pod: Obj;
  container: string;
  command: string[];
  stdin: boolean;
  stdout: boolean;
  stderr: boolean;
  tty: boolean;
}

/** A failure before the upgrade, answered as a plain HTTP metav1.Status. */
class HttpFailure extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
  }
}

/** Handles every upgrade on `server` (WebSocket or SPDY); exec paths get a session, anything else a 404. */
export function attachExecServer(server: Server, opts: ExecServerOptions): ExecServerHandle {
  const sessions = new Set<WebSocket>();
  const spdySessions = new Set<Duplex>();
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    clientTracking: false,
    handleProtocols: (protocols: Set<string>) => pickProtocol([...protocols]) ?? false,
  });

  server.on("upgrade", (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const started = Date.now();
    const url = new URL(req.url ?? "/", "https://sim.invalid");
    const match = url.pathname.match(EXEC_PATH);
    const record = (code: number, user: string, bytesIn: number, bytesOut: number) =>
      opts.requestLog?.record({
        at: started,
        user,
        verb: match ? "create" : "get",
        method: req.method ?? "GET",
        path: url.pathname,
        apiGroup: "",
        resource: match ? "pods" : "",
        subresource: match ? "exec" : undefined,
        namespace: match ? decodeURIComponent(match[1]) : undefined,
        name: match ? decodeURIComponent(match[2]) : undefined,
        code,
        bytesIn,
        bytesOut,
        ms: Date.now() - started,
        userAgent: header(req, "user-agent"),
        query: url.search ? redactedQuery(url.searchParams) : undefined,
      });
    socket.on("error", () => {}); // a client hanging up mid-handshake must not crash the server

    let user: UserInfo | undefined;
    void (async () => {
      try {
        if (!match) throw new HttpFailure(404, "NotFound", "the server could not find the requested resource");
        const protocols = offeredProtocols(req);
        const bearer = protocols.find((p) => p.startsWith(BEARER_PROTOCOL));
        if (bearer && !req.headers.authorization) {
          req.headers.authorization = `Bearer ${decodeBase64Url(bearer.slice(BEARER_PROTOCOL.length))}`;
        }
        user = authenticateOrThrow(opts, req);
        const fault = opts.faults?.maybeFail("create", url.pathname);
        const delay = opts.faults?.delayMs() ?? 0;
        if (delay > 0) await new Promise((r) => setTimeout(r, delay));
        if (fault) {
          throw new HttpFailure(
            fault.code,
            injectedReason(fault.code),
            "injected fault",
            undefined,
            fault.retryAfterSeconds,
          );
        }
        const params = checkRequest(opts, user, url, decodeURIComponent(match[1]), decodeURIComponent(match[2]));
        const upgrade = (header(req, "upgrade") ?? "").toLowerCase();
        if (upgrade === SPDY_UPGRADE) {
          const who = user;
          const offered = (header(req, "x-stream-protocol-version") ?? "").split(",").map((v) => v.trim());
          if (!offered.includes(V4)) {
            throw new HttpFailure(
              400,
              "BadRequest",
              `unable to upgrade connection: unable to negotiate protocol: client supports [${offered.join(" ")}], ` +
                `server supports [${V4}]`,
            );
          }
          spdySessions.add(socket);
          runSpdySession(socket, head, params, who, opts, (bytesIn, bytesOut) => {
            spdySessions.delete(socket);
            record(101, who.name, bytesIn, bytesOut);
          });
          return;
        }
        if (upgrade !== "websocket") {
          throw new HttpFailure(400, "BadRequest", `unable to upgrade connection: unsupported upgrade "${upgrade}"`);
        }
        if (!pickProtocol(protocols)) {
          throw new HttpFailure(
            400,
            "BadRequest",
            `unable to upgrade connection: requested protocol(s) are not supported: [${protocols.join(" ")}]; ` +
              `supported protocols are [${SUPPORTED.join(" ")}]`,
          );
        }
        const who = user;
        wss.handleUpgrade(req, socket, head, (ws) => {
          sessions.add(ws);
          runWebSocketSession(ws, params, who, opts, (bytesIn, bytesOut) => {
            sessions.delete(ws);
            record(101, who.name, bytesIn, bytesOut);
          });
        });
      } catch (e) {
        const f = toFailure(e);
        if (f.code >= 500 && !(e instanceof HttpFailure)) opts.log(`exec: ${redact(String(e))}`);
        const body = writeFailure(socket, f);
        record(f.code, user?.name ?? "", 0, body);
      }
    })();
  });

  return {
    closeAll() {
      for (const ws of sessions) ws.terminate();
      sessions.clear();
      for (const socket of spdySessions) socket.destroy();
      spdySessions.clear();
      wss.close();
    },
  };
}

function authenticateOrThrow(opts: ExecServerOptions, req: IncomingMessage): UserInfo {
  const user = opts.authenticate(req);
  if (!user) throw new HttpFailure(401, "Unauthorized", "Unauthorized");
  return user;
}

/** Authorization, the pod, the container and the flags, in the order the apiserver checks them. */
function checkRequest(
  opts: ExecServerOptions,
  user: UserInfo,
  url: URL,
  namespace: string,
  podName: string,
): ExecParams {
  const attrs: RequestAttributes = {
    verb: "create",
    apiGroup: "",
    resource: "pods",
    subresource: "exec",
    namespace,
    name: podName,
  };
  if (!opts.authorize(user, attrs).allowed) {
    throw new HttpFailure(403, "Forbidden", forbiddenMessage(user, attrs), { name: podName, kind: "pods" });
  }
  const pod = opts.resolvePod(namespace, podName);
  if (!pod) throw new HttpFailure(404, "NotFound", `pods "${podName}" not found`, { name: podName, kind: "pods" });

  const q = url.searchParams;
  const flag = (name: string) => ["true", "1"].includes((q.get(name) ?? "").toLowerCase());
  const command = q.getAll("command");
  const [stdin, stdout, stderr, tty] = [flag("stdin"), flag("stdout"), flag("stderr"), flag("tty")];
  if (command.length === 0) throw new HttpFailure(400, "BadRequest", "you must specify at least one command");
  if (!stdin && !stdout && !stderr) {
    throw new HttpFailure(400, "BadRequest", "you must specify at least 1 of stdin, stdout, stderr");
  }

  const containers = names(pod.spec?.containers);
  let container = q.get("container") ?? "";
  if (!container) {
    if (containers.length === 0) {
      throw new HttpFailure(400, "BadRequest", `pod ${podName} does not have any containers`);
    }
    if (containers.length > 1) {
      throw new HttpFailure(
        400,
        "BadRequest",
        `a container name must be specified for pod ${podName}, choose one of: [${containers.join(" ")}]`,
      );
    }
    container = containers[0];
  } else if (![...containers, ...names(pod.spec?.initContainers)].includes(container)) {
    throw new HttpFailure(400, "BadRequest", `container ${container} is not valid for pod ${podName}`);
  }

  if (pod.status?.phase !== "Running") {
    if (!pod.spec?.nodeName) throw new HttpFailure(400, "BadRequest", `pod ${podName} does not have a host assigned`);
    throw new HttpFailure(400, "BadRequest", `unable to upgrade connection: container not found ("${container}")`);
  }
  const status = (pod.status?.containerStatuses ?? []).find((s: Obj) => s?.name === container);
  if (status?.state && !status.state.running) {
    throw new HttpFailure(400, "BadRequest", `unable to upgrade connection: container not found ("${container}")`);
  }
  return { namespace, podName, pod, container, command, stdin, stdout, stderr, tty };
}

/** What an exec sends back: output per stream (already merged for a TTY, filtered by the flags) and the status. */
interface ExecOutput {
  stdout: string;
  stderr: string;
  status: string;
}

/** Runs the command through the ExecRegistry and shapes the result the way kubelet sends it. */
async function runCommand(
  p: ExecParams,
  user: UserInfo,
  opts: ExecServerOptions,
  stdin: Uint8Array,
): Promise<ExecOutput> {
  const shown = redact(`${p.namespace}/${p.podName}/${p.container} [${p.command.join(" ")}]`)
    .replace(/sha256~[\w-]+/g, "sha256~[REDACTED]");
  try {
    const r: ExecResult = await opts.exec.run({
      namespace: p.namespace,
      pod: p.pod,
      container: p.container,
      command: p.command,
      stdin,
      tty: p.tty,
      user: user.name,
    });
    opts.log(`exec ${shown} by ${user.name}: exit ${r.exitCode}`);
    // With a TTY the runtime merges stderr into stdout, and kubelet opens no stderr stream.
    const stderr = r.stderr ?? "";
    const stdout = p.tty ? (r.stdout ?? "") + stderr : (r.stdout ?? "");
    return {
      stdout: p.stdout ? stdout : "",
      stderr: p.stderr && !p.tty ? stderr : "",
      status: JSON.stringify(exitStatus(p.command, r.exitCode)),
    };
  } catch (e) {
    const message = `error executing command in container: ${e instanceof Error ? e.message : String(e)}`;
    opts.log(`exec ${shown} by ${user.name}: ${redact(message)}`);
    const status = {
      metadata: {},
      status: "Failure",
      message: `Internal error occurred: ${message}`,
      reason: "InternalError",
      details: { causes: [{ message }] },
      code: 500,
    };
    return { stdout: "", stderr: "", status: JSON.stringify(status) };
  }
}

/** One upgraded WebSocket exec connection: collect stdin, run the command, send output and the status, close. */
function runWebSocketSession(
  ws: WebSocket,
  p: ExecParams,
  user: UserInfo,
  opts: ExecServerOptions,
  done: (bytesIn: number, bytesOut: number) => void,
): void {
  const base64 = ws.protocol === V4_BASE64;
  const stdinChunks: Uint8Array[] = [];
  let bytesIn = 0, bytesOut = 0;
  let started = false;
  let open = true;

  const send = (channel: number, data: Uint8Array) => {
    if (!open) return;
    if (base64) {
      const frame = String(channel) + encodeBase64(data);
      bytesOut += frame.length;
      ws.send(frame);
    } else {
      const frame = new Uint8Array(data.length + 1);
      frame[0] = channel;
      frame.set(data, 1);
      bytesOut += frame.length;
      ws.send(frame);
    }
  };
  const sendText = (channel: number, text: string) => {
    const bytes = new TextEncoder().encode(text);
    for (let i = 0; i < bytes.length; i += CHUNK) send(channel, bytes.subarray(i, i + CHUNK));
  };

  const start = async () => {
    if (started) return;
    started = true;
    const out = await runCommand(p, user, opts, concat(stdinChunks));
    if (out.stdout) sendText(STDOUT, out.stdout);
    if (out.stderr) sendText(STDERR, out.stderr);
    sendText(STATUS, out.status);
    if (open) ws.close(1000);
  };

  ws.on("message", (data: RawData, isBinary: boolean) => {
    const frame = decodeFrame(data, isBinary, base64);
    if (!frame) return;
    bytesIn += frame.payload.length;
    if (frame.channel === STDIN && p.stdin && !started) stdinChunks.push(frame.payload);
    else if (frame.channel === CLOSE && ws.protocol === V5 && frame.payload[0] === STDIN) void start();
    // RESIZE (terminal size JSON) and anything else: nothing to do for a simulated command.
  });
  ws.on("error", () => {});
  ws.on("close", () => {
    open = false;
    // A v4 client can only end stdin by hanging up; the command still runs (e.g. a reboot) but nobody reads it.
    if (!started) void start();
    done(bytesIn, bytesOut);
  });

  // Kubelet announces the connection with an empty frame on the lowest writable channel.
  send(p.stdout ? STDOUT : p.stderr && !p.tty ? STDERR : STATUS, new Uint8Array(0));
  if (!p.stdin) void start();
}

/**
 * One exec over SPDY/3.1, the transport kubectl used before WebSockets (kubectl < 1.30 by default, and the
 * gcloud kubectl dispatcher picks kubectl 1.29 for an OpenShift 4.16 server). client-go opens its streams in
 * a fixed order (error, stdin, stdout, stderr unless TTY, resize if TTY; pkg remotecommand createStreams) and
 * waits for each reply, so the stream type follows from the order and the query flags; the compressed
 * "streamType" headers need not be read. Our own header blocks are empty and written as stored (uncompressed)
 * deflate blocks of one zlib stream, each ending in a sync-flush marker, which any SPDY peer's inflater accepts.
 */
function runSpdySession(
  socket: Duplex,
  head: Uint8Array,
  p: ExecParams,
  user: UserInfo,
  opts: ExecServerOptions,
  done: (bytesIn: number, bytesOut: number) => void,
): void {
  const expected = [
    "error",
    ...(p.stdin ? ["stdin"] : []),
    ...(p.stdout ? ["stdout"] : []),
    ...(p.stderr && !p.tty ? ["stderr"] : []),
    ...(p.tty ? ["resize"] : []),
  ];
  const streamIds = new Map<string, number>();
  const streamTypes = new Map<number, string>();
  const stdinChunks: Uint8Array[] = [];
  let stdinClosed = !p.stdin;
  let bytesIn = 0, bytesOut = 0;
  let buffered: Uint8Array = new Uint8Array(0);
  let headerBlocks = 0;
  let lastStreamId = 0;
  let started = false;
  let finished = false;

  const write = (bytes: Uint8Array) => {
    if (finished || socket.destroyed) return;
    bytesOut += bytes.length;
    socket.write(bytes);
  };
  const control = (type: number, flags: number, payload: Uint8Array) => {
    const frame = new Uint8Array(8 + payload.length);
    const v = new DataView(frame.buffer);
    v.setUint16(0, 0x8000 | 3);
    v.setUint16(2, type);
    v.setUint32(4, payload.length);
    frame[4] = flags;
    frame.set(payload, 8);
    write(frame);
  };
  const data = (streamId: number, flags: number, payload: Uint8Array) => {
    for (let at = 0; at < payload.length || at === 0; at += CHUNK) {
      const part = payload.subarray(at, at + CHUNK);
      const last = at + CHUNK >= payload.length;
      const frame = new Uint8Array(8 + part.length);
      const v = new DataView(frame.buffer);
      v.setUint32(0, streamId & 0x7fffffff);
      v.setUint32(4, part.length);
      frame[4] = last ? flags : 0;
      frame.set(part, 8);
      write(frame);
    }
  };
  const synReply = (streamId: number) => {
    // An empty header block (0 pairs) as a stored deflate block, then the empty stored block of a sync flush
    // so the peer's inflater hands the bytes over without reading past this frame. The first block of the
    // connection opens the zlib stream.
    const stored = [0x00, 0x04, 0x00, 0xfb, 0xff, 0, 0, 0, 0, 0x00, 0x00, 0x00, 0xff, 0xff];
    const block = headerBlocks++ === 0 ? [0x78, 0x01, ...stored] : stored;
    const payload = new Uint8Array(4 + block.length);
    new DataView(payload.buffer).setUint32(0, streamId & 0x7fffffff);
    payload.set(block, 4);
    control(SPDY_SYN_REPLY, 0, payload);
  };

  const maybeStart = async () => {
    if (started || streamIds.size < expected.length || !stdinClosed) return;
    started = true;
    const out = await runCommand(p, user, opts, concat(stdinChunks));
    const enc = new TextEncoder();
    for (const [name, text] of [["stdout", out.stdout], ["stderr", out.stderr]] as const) {
      const id = streamIds.get(name);
      if (id !== undefined) data(id, SPDY_FLAG_FIN, enc.encode(text));
    }
    data(streamIds.get("error")!, SPDY_FLAG_FIN, enc.encode(out.status));
    const goaway = new Uint8Array(8);
    new DataView(goaway.buffer).setUint32(0, lastStreamId);
    control(SPDY_GOAWAY, 0, goaway);
    finished = true;
    socket.end();
  };

  const onFrame = (frame: Uint8Array) => {
    const v = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
    const flags = frame[4];
    const payload = frame.subarray(8);
    if (frame[0] & 0x80) {
      const type = v.getUint16(2);
      if (type === SPDY_SYN_STREAM) {
        const id = v.getUint32(8) & 0x7fffffff;
        lastStreamId = id;
        const kind = expected[streamTypes.size] ?? "unexpected";
        streamTypes.set(id, kind);
        if (kind !== "unexpected") streamIds.set(kind, id);
        synReply(id);
        if (kind === "stdin" && flags & SPDY_FLAG_FIN) stdinClosed = true;
      } else if (type === SPDY_PING) {
        control(SPDY_PING, 0, payload.slice(0, 4));
      } else if (type === SPDY_RST_STREAM && streamTypes.get(v.getUint32(8) & 0x7fffffff) === "stdin") {
        stdinClosed = true;
      }
      // SETTINGS, WINDOW_UPDATE, HEADERS, GOAWAY: nothing to do for one short-lived exec.
    } else {
      const kind = streamTypes.get(v.getUint32(0) & 0x7fffffff);
      bytesIn += payload.length;
      if (kind === "stdin" && !stdinClosed) {
        stdinChunks.push(payload.slice());
        if (flags & SPDY_FLAG_FIN) stdinClosed = true;
      }
    }
    void maybeStart();
  };

  const onData = (chunk: Uint8Array) => {
    buffered = buffered.length ? concat([buffered, chunk]) : chunk;
    while (buffered.length >= 8) {
      const length = (buffered[5] << 16) | (buffered[6] << 8) | buffered[7];
      if (buffered.length < 8 + length) break;
      onFrame(buffered.subarray(0, 8 + length));
      buffered = buffered.subarray(8 + length);
    }
  };

  socket.write(
    "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n" +
      `X-Stream-Protocol-Version: ${V4}\r\n\r\n`,
  );
  socket.on("data", (c: Uint8Array) => onData(new Uint8Array(c.buffer, c.byteOffset, c.byteLength)));
  socket.on("close", () => {
    // the client hung up before the command ran: it still runs (a reboot is a reboot), nobody reads it
    if (!started) {
      started = true;
      finished = true;
      void runCommand(p, user, opts, concat(stdinChunks));
    }
    finished = true;
    done(bytesIn, bytesOut);
  });
  if (head.length > 0) onData(new Uint8Array(head));
}

/** The status kubelet writes on channel 3 (pkg/kubelet/cri/streaming/remotecommand). */
export function exitStatus(command: string[], exitCode: number): Record<string, unknown> {
  if (exitCode === 0) return { metadata: {}, status: "Success" };
  return {
    metadata: {},
    status: "Failure",
    message: `command terminated with non-zero exit code: error executing command [${command.join(" ")}], ` +
      `exit code ${exitCode}`,
    reason: "NonZeroExitCode",
    details: { causes: [{ reason: "ExitCode", message: String(exitCode) }] },
  };
}

/** The client's preferred protocol among those served, or undefined. */
function pickProtocol(offered: string[]): string | undefined {
  return offered.find((p) => SUPPORTED.includes(p));
}

function offeredProtocols(req: IncomingMessage): string[] {
  return (header(req, "sec-websocket-protocol") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(", ") : v;
}

function decodeFrame(
  data: RawData,
  isBinary: boolean,
  base64: boolean,
): { channel: number; payload: Uint8Array } | undefined {
  const bytes = toBytes(data);
  if (bytes.length === 0) return undefined;
  if (base64 && !isBinary) {
    const text = new TextDecoder().decode(bytes);
    const channel = text.charCodeAt(0) - 48;
    try {
      return { channel, payload: decodeBase64(text.slice(1)) };
    } catch {
      return undefined;
    }
  }
  return { channel: bytes[0], payload: bytes.subarray(1) };
}

function toBytes(data: RawData): Uint8Array {
  if (Array.isArray(data)) return concat(data.map((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength)));
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function concat(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0].slice();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function encodeBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin);
}

function decodeBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function decodeBase64Url(text: string): string {
  const std = text.replace(/-/g, "+").replace(/_/g, "/");
  try {
    return new TextDecoder().decode(decodeBase64(std + "=".repeat((4 - std.length % 4) % 4)));
  } catch {
    return "";
  }
}

/** The query as logged: commands may carry credentials (a curl with a bearer token), so they are masked. */
function redactedQuery(params: URLSearchParams): string {
  const out = new URLSearchParams();
  for (const [k, v] of params) out.append(k, redact(v).replace(/sha256~[\w-]+/g, "sha256~[REDACTED]"));
  return out.toString();
}

function names(list: unknown): string[] {
  return Array.isArray(list) ? list.map((c) => String(c?.name ?? "")).filter(Boolean) : [];
}

function toFailure(e: unknown): HttpFailure {
  if (e instanceof HttpFailure) return e;
  if (e instanceof StoreError) return new HttpFailure(e.code, e.reason, e.message, e.details);
  return new HttpFailure(
    500,
    "InternalError",
    `Internal error occurred: ${e instanceof Error ? e.message : String(e)}`,
  );
}

function injectedReason(code: number): string {
  if (code === 429) return "TooManyRequests";
  if (code === 503) return "ServiceUnavailable";
  if (code === 504) return "Timeout";
  return "InternalError";
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  422: "Unprocessable Entity",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Answers a failed upgrade with an HTTP metav1.Status and closes the socket; returns the body size. */
function writeFailure(socket: Duplex, f: HttpFailure): number {
  const status: Record<string, unknown> = {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message: f.message,
    reason: f.reason,
  };
  if (f.details) status.details = f.details;
  status.code = f.code;
  const body = new TextEncoder().encode(JSON.stringify(status));
  const lines = [
    `HTTP/1.1 ${f.code} ${STATUS_TEXT[f.code] ?? "Error"}`,
    "Content-Type: application/json",
    `Content-Length: ${body.length}`,
    "Cache-Control: no-cache, private",
    "Connection: close",
  ];
  if (f.retryAfterSeconds !== undefined) lines.push(`Retry-After: ${f.retryAfterSeconds}`);
  if (socket.writable) {
    socket.write(lines.join("\r\n") + "\r\n\r\n");
    socket.end(body);
  } else {
    socket.destroy();
  }
  return body.length;
}
