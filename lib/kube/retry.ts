/**
 * Retries for API requests.
 *
 * - Reads (GET/list, and requests the caller marks `idempotent`) are retried on 429, 500, 502, 503, 504 and
 *   on connection resets / refused connections, with exponential backoff and full jitter, honouring the
 *   server's Retry-After (seconds), within a bounded number of attempts and total time.
 * - Writes (create, replace, patch, delete) are retried only when repeating them cannot do harm: the
 *   request never left (connection refused, DNS or TLS failure before sending) or the server said 429
 *   (it did not process it). A write whose connection was reset may have been applied, so it is not
 *   repeated unless the caller passes `idempotent: true` (our merge/JSON patches that set fixed values are;
 *   a create is not: a retried create that gets 409 AlreadyExists is the caller's to judge).
 * - A request timeout (--request-timeout) is never retried: the user bounded the wait.
 */
import { ApiError } from "./errors.ts";
import { sleep } from "../sleep.ts";

export interface RetryPolicy {
  /** Attempts in total, the first included (default 5). */
  maxAttempts: number;
  /** Stop retrying once this much time has passed since the first attempt (default 30 s). */
  maxElapsedMs: number;
  /** First backoff (default 250 ms); doubles each attempt. */
  baseDelayMs: number;
  /** Backoff cap (default 8 s). */
  maxDelayMs: number;
  /** Longest Retry-After honoured; longer ones end the retries (default 60 s). */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 5,
  maxElapsedMs: 30_000,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
};

const RETRY_STATUS = new Set([429, 500, 502, 503, 504]);

/** Whether a failed attempt may be repeated. */
export function shouldRetry(err: unknown, safeToRepeat: boolean): boolean {
  if (!(err instanceof ApiError)) return false;
  if (err.details.timeout) return false;
  if (err.status !== undefined) {
    if (err.status === 429) return true;
    return safeToRepeat && RETRY_STATUS.has(err.status);
  }
  const code = err.details.code;
  if (!code || code === "ABORTED") return false;
  // TLS and DNS failures will not fix themselves in a few seconds.
  if (code === "ENOTFOUND" || /CERT|TLS|SSL|SIGNATURE/.test(code)) return false;
  if (err.details.sent === false) return true;
  return safeToRepeat;
}

/** Backoff before attempt `attempt + 1` (attempt counts from 1), Retry-After winning when given. */
export function retryDelayMs(
  attempt: number,
  err: unknown,
  policy: RetryPolicy = DEFAULT_RETRY,
  random: () => number = Math.random,
): number {
  const retryAfter = err instanceof ApiError ? err.details.retryAfterSeconds : undefined;
  if (retryAfter !== undefined) return Math.round(retryAfter * 1000);
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  // Full jitter, but never less than half the step so retries do not bunch up at zero.
  return Math.round(cap / 2 + random() * cap / 2);
}

export interface RetryHooks {
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
  onRetry?: (attempt: number, delayMs: number, err: unknown) => void;
  signal?: AbortSignal;
}

/** Runs `attempt` until it succeeds, a failure is not retryable, or the policy's budget runs out. */
export async function withRetry<T>(
  attempt: (n: number) => Promise<T>,
  safeToRepeat: boolean,
  policy: RetryPolicy = DEFAULT_RETRY,
  hooks: RetryHooks = {},
): Promise<T> {
  const now = hooks.now ?? Date.now;
  const wait = hooks.sleep ?? sleep;
  const started = now();
  for (let n = 1;; n++) {
    try {
      return await attempt(n);
    } catch (err) {
      if (n >= policy.maxAttempts || !shouldRetry(err, safeToRepeat)) throw err;
      const delay = retryDelayMs(n, err, policy, hooks.random);
      if (delay > policy.maxRetryAfterMs || now() - started + delay > policy.maxElapsedMs) throw err;
      hooks.onRetry?.(n, delay, err);
      await wait(delay, hooks.signal);
    }
  }
}
