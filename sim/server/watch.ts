/**
 * Watch streams as kube-apiserver serves them: a chunked 200 response of newline-delimited JSON events
 * (ADDED/MODIFIED/DELETED, BOOKMARK when `allowWatchBookmarks`), ending at `timeoutSeconds`, when the
 * client goes, when the server stops, or when the fault injector drops watches. A too-old
 * resourceVersion is an ERROR event carrying a 410 Expired Status, not an HTTP error.
 */
import type { ServerResponse } from "node:http";
import { type Obj, type ResourceDef, type Store, StoreError, type Watcher } from "../store.ts";
import { type ByteStats, encodeObject, type Representation, StreamWriter } from "./rest.ts";
import { failure, HttpError, statusFromError } from "./status.ts";
import { tableFor } from "./table.ts";

export interface WatchParams {
  key: string;
  def: ResourceDef;
  namespace?: string;
  name?: string;
  labelSelector?: string;
  fieldSelector?: string;
  resourceVersion?: string;
  timeoutSeconds?: number;
  bookmarks: boolean;
  sendInitialEvents: boolean;
  as: Representation;
  query: URLSearchParams;
}

/** Open watches, so the server can end them all on stop. */
export class WatchRegistry {
  readonly #open = new Set<() => void>();

  add(close: () => void): () => void {
    this.#open.add(close);
    return () => this.#open.delete(close);
  }

  get size(): number {
    return this.#open.size;
  }

  closeAll(): void {
    for (const c of [...this.#open]) c();
    this.#open.clear();
  }
}

/** Default server-side watch timeout when the client gives none (kube-apiserver: 30–60 min). */
const DEFAULT_TIMEOUT_S = 1800;
const BOOKMARK_INTERVAL_MS = 1000;

/** Serves one watch; resolves when the stream has ended. */
export function serveWatch(
  res: ServerResponse,
  stats: ByteStats,
  store: Store,
  registry: WatchRegistry,
  p: WatchParams,
  opts: { lifetimeMs?: number; now(): number },
): Promise<void> {
  let fieldSelector = p.fieldSelector;
  if (p.name) {
    fieldSelector = [fieldSelector, `metadata.name=${p.name}`].filter((s) => s).join(",");
  }
  const apiVersion = p.def.group ? `${p.def.group}/${p.def.version}` : p.def.version;
  const writer = new StreamWriter(res, stats);
  let watcher: Watcher | undefined;
  let ended = false;
  let resolveDone: () => void = () => {};
  const done = new Promise<void>((r) => (resolveDone = r));
  const timers: ReturnType<typeof setTimeout>[] = [];
  let lastRv = p.resourceVersion && p.resourceVersion !== "0" ? p.resourceVersion : store.resourceVersion();

  const encoder = new TextEncoder();
  const eventBytes = (type: string, o: Obj): Uint8Array[] => {
    if (p.as === "table") {
      const t = tableFor(p.def, [o], o.metadata.resourceVersion, p.query, opts.now());
      return [encoder.encode(JSON.stringify({ type, object: t }) + "\n")];
    }
    return [encoder.encode(`{"type":"${type}","object":`), encodeObject(o, p.as), encoder.encode("}\n")];
  };
  // Events queue up synchronously (store callbacks) and one pump writes them, flushing after each burst.
  const queue: Uint8Array[] = [];
  let pumping = false;
  const pump = async () => {
    pumping = true;
    try {
      while (queue.length) {
        for (const b of queue.splice(0)) await writer.write(b);
        await writer.flush();
      }
    } finally {
      pumping = false;
    }
    if (ended) finish();
  };
  const enqueue = (parts: Uint8Array[]) => {
    if (ended) return;
    queue.push(...parts);
    if (!pumping) pump();
  };
  const send = (line: Obj) => enqueue([encoder.encode(JSON.stringify(line) + "\n")]);
  let finished = false;
  const finish = () => {
    if (finished || pumping) return;
    finished = true;
    writer.end().finally(resolveDone);
  };
  const end = () => {
    if (ended) return;
    ended = true;
    watcher?.stop();
    for (const t of timers) {
      clearTimeout(t);
      clearInterval(t);
    }
    unregister();
    finish();
  };
  const unregister = registry.add(end);
  res.on("close", end);

  res.writeHead(200, {
    "Content-Type": "application/json",
    "Cache-Control": "no-cache, private",
    "Transfer-Encoding": "chunked",
  });
  res.flushHeaders?.();

  const bookmark = (initialEnd = false) => {
    const meta: Obj = { resourceVersion: lastRv };
    if (initialEnd) meta.annotations = { "k8s.io/initial-events-end": "true" };
    send({ type: "BOOKMARK", object: { kind: p.def.kind, apiVersion, metadata: meta } });
  };

  try {
    const rv = p.resourceVersion;
    // sendInitialEvents=true replays the current state even when a resourceVersion is given.
    const fromState = p.sendInitialEvents || !rv || rv === "0";
    watcher = store.watch(p.key, {
      namespace: p.def.namespaced ? p.namespace : undefined,
      labelSelector: p.labelSelector,
      fieldSelector,
      resourceVersion: fromState ? undefined : rv,
    }, (e) => {
      lastRv = String(e.rv);
      enqueue(eventBytes(e.type, e.object));
    });
    if (fromState) lastRv = store.resourceVersion();
    if (p.sendInitialEvents && p.bookmarks) bookmark(true);
  } catch (e) {
    if (e instanceof StoreError && e.code === 410) {
      send({ type: "ERROR", object: failure(410, "Expired", e.message) });
    } else if (e instanceof StoreError || e instanceof HttpError) {
      send({ type: "ERROR", object: statusFromError(e) });
    } else throw e;
    end();
    return done;
  }

  const timeoutS = p.timeoutSeconds && p.timeoutSeconds > 0 ? p.timeoutSeconds : DEFAULT_TIMEOUT_S;
  timers.push(setTimeout(end, timeoutS * 1000));
  if (opts.lifetimeMs !== undefined) timers.push(setTimeout(end, opts.lifetimeMs));
  if (p.bookmarks) timers.push(setInterval(() => !ended && bookmark(), BOOKMARK_INTERVAL_MS));
  return done;
}
