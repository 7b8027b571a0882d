/**
 * Waiting on the cluster with watches, not polling loops: the predicate sees the current set of
 * objects after every event (and after every re-list), and the wait ends when it returns a result.
 */
import type { ObjectOf, ResourceRef } from "../kube/resources.ts";
import type { Kube, KubeObject, WatchOptions } from "../kube/types.ts";

export type WaitVerdict<R> = { done: R } | { fail: Error } | { progress?: string };

export interface WaitOptions {
  /** Give up after this many milliseconds (0 = never). */
  timeoutMs: number;
  /** Thrown (as returned) when the time is up; receives the last progress line. */
  onTimeout: (lastProgress: string | undefined) => Error;
  signal?: AbortSignal;
  /** Called with each new progress line. */
  report?: (line: string) => void;
}

const key = (o: KubeObject) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;

/** Watches `ref` until `evaluate` decides; resolves with its result or rejects with its error. */
export function watchUntil<R, Ref extends ResourceRef = ResourceRef>(
  kube: Pick<Kube, "watch">,
  ref: Ref,
  watchOpts: Omit<WatchOptions, "signal" | "onSync" | "resourceVersion">,
  evaluate: (items: ReadonlyMap<string, ObjectOf<Ref>>) => WaitVerdict<R>,
  opts: WaitOptions,
): Promise<R> {
  const items = new Map<string, ObjectOf<Ref>>();
  const stop = new AbortController();
  let last: string | undefined;
  let settled = false;

  return new Promise<R>((resolve, reject) => {
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener("abort", onAbort);
      stop.abort();
      fn();
    };
    const check = () => {
      let v: WaitVerdict<R>;
      try {
        v = evaluate(items);
      } catch (e) {
        return finish(() => reject(e));
      }
      if ("done" in v) return finish(() => resolve(v.done));
      if ("fail" in v) return finish(() => reject(v.fail));
      if (v.progress && v.progress !== last) {
        last = v.progress;
        opts.report?.(v.progress);
      }
    };
    const onAbort = () => finish(() => reject(opts.signal?.reason ?? new Error("aborted")));
    const timer = opts.timeoutMs > 0 ? setTimeout(() => finish(() => reject(opts.onTimeout(last))), opts.timeoutMs) : 0;
    if (opts.signal?.aborted) return onAbort();
    opts.signal?.addEventListener("abort", onAbort);

    kube.watch(ref, {
      ...watchOpts,
      signal: stop.signal,
      onSync: (all) => {
        items.clear();
        for (const o of all) items.set(key(o), o);
        check();
      },
    }, (type, obj) => {
      if (type === "DELETED") items.delete(key(obj));
      else items.set(key(obj), obj);
      check();
    }).catch((e) => finish(() => reject(e)));
  });
}
