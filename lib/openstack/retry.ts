/**
 * When a failed OpenStack call is repeated, and how long to wait first.
 *
 * The rule, by what the failure proves about the server's state:
 * - 429 (rate limited) and Octavia's 409 while a load balancer is PENDING_CREATE/UPDATE: the service refused
 *   before acting, so any method is repeated, POST included. A 429's Retry-After is honoured. (PENDING_DELETE
 *   is not waited out: the load balancer is going away, and the caller decides what that means.)
 * - 500, 502, 503, 504 and a connection broken after the request went out: the call may have taken effect.
 *   Repeated only when repeating cannot do more than the first call did: GET and HEAD, and the PUT/DELETE
 *   calls of this client (deletes and `remove_*` actions reach the same end state; the second answer is a 404
 *   the caller treats as done). POST is not repeated unless the caller marks it safe (a Keystone token
 *   request is; a Nova reboot action is not: a 5xx may come after the node was already rebooted, and a
 *   second reboot would take it down again).
 * - Connection refused, DNS failure: the request never left, so any method is repeated.
 * - TLS failures, request timeouts, cancellation and every other status: never (a timeout is the caller's
 *   bound on the wait; a TLS or 4xx answer will not change by itself).
 *
 * Bounded by attempts and by the total time slept (counted in requested milliseconds, so a test that
 * scales the injected sleep keeps the same arithmetic).
 */
import { isPendingConflict, isPendingDeleteConflict, OpenStackError } from "./errors.ts";

export interface RetryPolicy {
  /** Attempts in total, the first included. */
  maxAttempts: number;
  /** The first backoff; it doubles with every attempt. */
  baseDelayMs: number;
  /** Backoff cap. */
  maxDelayMs: number;
  /** The longest Retry-After honoured; a longer one ends the retries. */
  maxRetryAfterMs: number;
  /** Stop once the waits would add up to more than this. */
  maxTotalDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 6,
  baseDelayMs: 500,
  maxDelayMs: 16_000,
  maxRetryAfterMs: 60_000,
  maxTotalDelayMs: 120_000,
};

const RETRY_STATUS = new Set([500, 502, 503, 504]);

/** Whether a failure may be repeated; `safeToRepeat` = the call is idempotent in effect (see above). */
export function isRetryable(err: unknown, safeToRepeat: boolean): boolean {
  if (!(err instanceof OpenStackError)) return false;
  const d = err.details;
  if (d.status !== undefined) {
    if (d.status === 429) return true;
    if (isPendingConflict(err)) return !isPendingDeleteConflict(err);
    return safeToRepeat && RETRY_STATUS.has(d.status);
  }
  switch (d.transport) {
    case "connect":
      return true;
    case "reset":
      return safeToRepeat;
    default:
      return false;
  }
}

/** Exponential backoff with jitter before attempt `attempt + 1` (attempt counts from 1): in [cap/2, cap]. */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Half fixed, half random: spreads clients apart without ever retrying at once.
  return Math.round(cap / 2 + random() * cap / 2);
}

/** The wait before the next attempt: the server's Retry-After when it sent one, else the backoff. */
export function retryDelayMs(
  attempt: number,
  err: unknown,
  policy: RetryPolicy,
  random: () => number = Math.random,
): number {
  const retryAfter = err instanceof OpenStackError ? err.details.retryAfterMs : undefined;
  return retryAfter !== undefined ? retryAfter : backoffMs(attempt, policy, random);
}

/** Retry-After as milliseconds: delta-seconds or an HTTP date (relative to `now`). */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export interface RetryHooks {
  sleep: Sleep;
  random?: () => number;
  signal?: AbortSignal;
  onRetry?: (attempt: number, delayMs: number, err: unknown) => void;
}

/** Runs `attempt` until it succeeds, fails in a way that is not repeated, or the policy's budget is spent. */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  safeToRepeat: boolean,
  policy: RetryPolicy,
  hooks: RetryHooks,
): Promise<T> {
  let slept = 0;
  for (let n = 1;; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (err instanceof OpenStackError) err.details.attempts = n;
      if (n >= policy.maxAttempts || !isRetryable(err, safeToRepeat)) throw err;
      const delay = retryDelayMs(n, err, policy, hooks.random);
      if (delay > policy.maxRetryAfterMs || slept + delay > policy.maxTotalDelayMs) throw err;
      hooks.onRetry?.(n, delay, err);
      await hooks.sleep(delay, hooks.signal);
      slept += delay;
    }
  }
}
