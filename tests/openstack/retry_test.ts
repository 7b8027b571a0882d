/** The retry rule (what is repeated, for which methods), the backoff arithmetic and the attempt/time bounds. */
import assert from "node:assert/strict";
import { OpenStackError, type OpenStackErrorDetails, statusError } from "../../lib/openstack/errors.ts";
import {
  backoffMs,
  DEFAULT_RETRY,
  isRetryable,
  parseRetryAfter,
  retryDelayMs,
  type RetryPolicy,
  withRetry,
} from "../../lib/openstack/retry.ts";

const info = (service: "network" | "load-balancer" | "compute" = "network") => ({
  cloud: "c",
  service,
  method: "DELETE",
  url: new URL("https://h/v2.0/networks/x"),
});

const status = (code: number, body = "", service: "network" | "load-balancer" | "compute" = "network") =>
  statusError(info(service), code, body);

const transport = (kind: OpenStackErrorDetails["transport"]) =>
  new OpenStackError("x", { service: "network", method: "GET", path: "/", transport: kind });

const pending = (state: string) =>
  status(
    409,
    JSON.stringify({ faultcode: "Client", faultstring: `Invalid state ${state} of loadbalancer resource 1` }),
    "load-balancer",
  );

Deno.test("what is repeated: 5xx and resets only when safe; 429, pending conflicts and refused connections always", () => {
  for (const code of [500, 502, 503, 504]) {
    assert.equal(isRetryable(status(code), true), true, `${code} safe`);
    assert.equal(isRetryable(status(code), false), false, `${code} unsafe (a POST such as a Nova reboot)`);
  }
  assert.equal(isRetryable(status(429), false), true);
  assert.equal(isRetryable(pending("PENDING_UPDATE"), false), true);
  assert.equal(isRetryable(pending("PENDING_CREATE"), true), true);
  // Octavia's other pending text, for children of a busy load balancer.
  const immutable = status(
    409,
    JSON.stringify({ faultstring: "Load Balancer 1 is immutable and cannot be updated." }),
    "load-balancer",
  );
  assert.equal(isRetryable(immutable, false), true);
  // Already being deleted: nothing to wait for.
  assert.equal(isRetryable(pending("PENDING_DELETE"), true), false);
  // Neutron's 409s need the caller to act; they are not pending states.
  assert.equal(
    isRetryable(status(409, JSON.stringify({ NeutronError: { type: "NetworkInUse", message: "m" } })), true),
    false,
  );
  // Nova's conflictingRequest (a reboot already under way) is not repeated either.
  assert.equal(
    isRetryable(status(409, '{"conflictingRequest":{"code":409,"message":"Cannot reboot"}}', "compute"), true),
    false,
  );
  for (const code of [400, 401, 403, 404, 501]) assert.equal(isRetryable(status(code), true), false, String(code));
  assert.equal(isRetryable(transport("connect"), false), true, "never sent: safe for anything");
  assert.equal(isRetryable(transport("reset"), true), true);
  assert.equal(isRetryable(transport("reset"), false), false, "maybe applied: not for a POST");
  assert.equal(isRetryable(transport("timeout"), true), false, "the caller bounded the wait");
  assert.equal(isRetryable(transport("tls"), true), false);
  assert.equal(isRetryable(transport("aborted"), true), false);
  assert.equal(isRetryable(new Error("x"), true), false);
});

Deno.test("backoff doubles from the base, stays in [cap/2, cap], and stops growing at the cap", () => {
  const p: RetryPolicy = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
  assert.equal(backoffMs(1, p, () => 0), 50);
  assert.equal(backoffMs(1, p, () => 1), 100);
  assert.equal(backoffMs(2, p, () => 0.5), 150);
  assert.equal(backoffMs(3, p, () => 1), 400);
  assert.equal(backoffMs(5, p, () => 1), 1000);
  assert.equal(backoffMs(9, p, () => 0), 500);
  for (let i = 0; i < 200; i++) {
    const d = backoffMs(4, p);
    assert.ok(d >= 400 && d <= 800, String(d));
  }
});

Deno.test("Retry-After: seconds or an HTTP date, and it wins over the backoff", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");
  assert.equal(parseRetryAfter("3", now), 3000);
  assert.equal(parseRetryAfter("0.5", now), 500);
  assert.equal(parseRetryAfter("Thu, 01 Jan 2026 00:00:07 GMT", now), 7000);
  assert.equal(parseRetryAfter("Wed, 31 Dec 2025 00:00:00 GMT", now), 0);
  assert.equal(parseRetryAfter("soon", now), undefined);
  assert.equal(parseRetryAfter(null, now), undefined);
  const limited = statusError(info(), 429, "", 2500);
  assert.equal(retryDelayMs(1, limited, DEFAULT_RETRY, () => 1), 2500);
  assert.equal(retryDelayMs(1, status(503), { ...DEFAULT_RETRY, baseDelayMs: 100 }, () => 1), 100);
});

Deno.test("withRetry: bounded attempts, sleeps through the injected function, gives up on what is not repeated", async () => {
  const slept: number[] = [];
  const hooks = { sleep: (ms: number) => (slept.push(ms), Promise.resolve()), random: () => 1 };
  const p: RetryPolicy = { ...DEFAULT_RETRY, maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 1000 };
  let calls = 0;
  await assert.rejects(
    withRetry(() => (calls++, Promise.reject(status(503))), true, p, hooks),
    (err: OpenStackError) => err.status === 503 && err.details.attempts === 4,
  );
  assert.equal(calls, 4);
  assert.deepEqual(slept, [10, 20, 40]);

  calls = 0;
  const result = await withRetry(
    () => (++calls < 3 ? Promise.reject(status(502)) : Promise.resolve("ok")),
    true,
    p,
    hooks,
  );
  assert.equal(result, "ok");
  assert.equal(calls, 3);

  calls = 0;
  await assert.rejects(withRetry(() => (calls++, Promise.reject(status(500))), false, p, hooks));
  assert.equal(calls, 1, "a POST answered 500 is sent once");
});

Deno.test("withRetry: a Retry-After longer than allowed, or waits adding up past the budget, end the retries", async () => {
  const slept: number[] = [];
  const hooks = { sleep: (ms: number) => (slept.push(ms), Promise.resolve()), random: () => 1 };
  let calls = 0;
  await assert.rejects(
    withRetry(() => (calls++, Promise.reject(statusError(info(), 429, "", 90_000))), true, DEFAULT_RETRY, hooks),
  );
  assert.equal(calls, 1);
  assert.deepEqual(slept, []);

  calls = 0;
  const p: RetryPolicy = {
    ...DEFAULT_RETRY,
    maxAttempts: 100,
    baseDelayMs: 1000,
    maxDelayMs: 1000,
    maxTotalDelayMs: 3500,
  };
  await assert.rejects(withRetry(() => (calls++, Promise.reject(status(503))), true, p, hooks));
  assert.equal(calls, 4, "three waits of 1 s fit in 3.5 s, a fourth does not");
});
