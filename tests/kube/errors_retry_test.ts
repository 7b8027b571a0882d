import { assert, assertEquals, assertMatch } from "./_assert.ts";
import { ConfigError } from "../../lib/errors.ts";
import {
  ApiError,
  isAlreadyExists,
  isMissingApi,
  missingOpenShiftGroups,
  notOpenShiftError,
  type RequestInfo,
  statusError,
  transportError,
} from "../../lib/kube/errors.ts";
import { R } from "../../lib/kube/resources.ts";
import { DEFAULT_RETRY, retryDelayMs, shouldRetry, withRetry } from "../../lib/kube/retry.ts";

const info = (over: Partial<RequestInfo> = {}): RequestInfo => ({
  server: "https://api.example:6443",
  method: "GET",
  verb: "list",
  ref: R.pod,
  namespace: "openshift-sdn",
  path: "/api/v1/namespaces/openshift-sdn/pods",
  ...over,
});

Deno.test("403 without a parsable message falls back to the request's verb, resource and namespace", () => {
  const e = statusError(info(), 403, "forbidden");
  assertEquals(
    e.message,
    "You are not allowed to list pods in namespace openshift-sdn (403). Ask a cluster administrator for the " +
      "permission, or use an account with cluster-admin.",
  );
  const fromServer = statusError(
    info(),
    403,
    JSON.stringify({
      kind: "Status",
      code: 403,
      reason: "Forbidden",
      message:
        'pods is forbidden: User "dev" cannot list resource "pods" in API group "" in the namespace "openshift-sdn"',
    }),
  );
  assertMatch(fromServer.message, /^You are not allowed to list pods in namespace openshift-sdn \(403\)/);
});

Deno.test("401, 404, 409 and 5xx messages", () => {
  assertEquals(
    statusError(info(), 401, "").message,
    "The server rejected your credentials (401 Unauthorized). Log in again: oc login https://api.example:6443",
  );
  const exists = statusError(
    info({ verb: "create", ref: R.configMap, name: "x" }),
    409,
    JSON.stringify({ kind: "Status", reason: "AlreadyExists", message: "exists" }),
  );
  assert(isAlreadyExists(exists));
  assertEquals(statusError(info(), 503, "").hint?.includes("temporary"), true);
  const notFound = statusError(
    info({ verb: "get", ref: R.node, name: "n1", namespace: undefined }),
    404,
    JSON.stringify({ kind: "Status", reason: "NotFound", details: { name: "n1", kind: "nodes" } }),
  );
  assertEquals(notFound.message, 'nodes "n1" was not found (404).');
  assertEquals(isMissingApi(notFound), false);
  assertEquals(isMissingApi(statusError(info(), 404, "404 page not found")), true);
});

Deno.test("transport failures: TLS, refused, DNS, reset, timeout", () => {
  const wrap = (code: string, message = code) =>
    new TypeError("fetch failed", { cause: Object.assign(new Error(message), { code }) });
  const tls = transportError(info(), wrap("UNABLE_TO_VERIFY_LEAF_SIGNATURE", "unable to verify the first certificate"));
  assertMatch(tls.message, /TLS certificate of the API server at https:\/\/api\.example:6443/);
  assertMatch(tls.hint ?? "", /--certificate-authority/);
  assertEquals(tls.details.sent, false);
  const host = transportError(info(), wrap("ERR_TLS_CERT_ALTNAME_INVALID", "Hostname/IP does not match"));
  assertMatch(host.message, /TLS certificate/);
  assertMatch(transportError(info(), wrap("ECONNREFUSED")).message, /connection refused/);
  assertMatch(transportError(info(), wrap("ENOTFOUND")).message, /Cannot resolve .*api\.example/);
  const reset = transportError(info(), wrap("ECONNRESET"));
  assertMatch(reset.message, /was reset/);
  const timeout = transportError(info(), new DOMException("The operation was aborted due to timeout", "TimeoutError"));
  assertMatch(timeout.message, /did not answer in time/);
  assertEquals(timeout.details.timeout, true);
});

Deno.test("not an OpenShift cluster", () => {
  assertEquals(missingOpenShiftGroups(["apps", "config.openshift.io", "operator.openshift.io"]), []);
  const missing = missingOpenShiftGroups(["apps"]);
  const err = notOpenShiftError("https://k8s:6443", missing);
  assert(err instanceof ConfigError);
  assertEquals(err.exitCode, 2);
  assertMatch(
    err.message,
    /https:\/\/k8s:6443 is not an OpenShift cluster: the API groups config\.openshift\.io, operator/,
  );
});

Deno.test("retry decisions: reads vs writes", () => {
  const status = (s: number) => new ApiError("x", s);
  const conn = (code: string, sent?: boolean) => new ApiError("x", undefined, undefined, { code, sent });
  for (const s of [429, 500, 502, 503, 504]) assert(shouldRetry(status(s), true), `read retries ${s}`);
  assert(!shouldRetry(status(500), false), "a write is not retried on 500");
  assert(shouldRetry(status(429), false), "a write is retried on 429");
  for (const s of [400, 401, 403, 404, 409, 422]) assert(!shouldRetry(status(s), true), `no retry on ${s}`);
  assert(shouldRetry(conn("ECONNRESET"), true));
  assert(!shouldRetry(conn("ECONNRESET"), false), "a reset write may have been applied");
  assert(shouldRetry(conn("ECONNREFUSED", false), false), "a refused write never left");
  assert(!shouldRetry(conn("UNABLE_TO_VERIFY_LEAF_SIGNATURE", false), true), "TLS failures are final");
  assert(!shouldRetry(new ApiError("t", undefined, undefined, { code: "TIMEOUT", timeout: true }), true));
  assert(!shouldRetry(new Error("plain"), true));
});

Deno.test("backoff grows, is jittered, and Retry-After wins", () => {
  const e = new ApiError("x", 503);
  assertEquals(retryDelayMs(1, e, DEFAULT_RETRY, () => 0), 125);
  assertEquals(retryDelayMs(1, e, DEFAULT_RETRY, () => 1), 250);
  assertEquals(retryDelayMs(3, e, DEFAULT_RETRY, () => 1), 1000);
  assertEquals(retryDelayMs(20, e, DEFAULT_RETRY, () => 1), DEFAULT_RETRY.maxDelayMs);
  assertEquals(retryDelayMs(1, new ApiError("x", 429, undefined, { retryAfterSeconds: 7 })), 7000);
});

Deno.test("withRetry stops at maxAttempts, at the time budget, and on a Retry-After that is too long", async () => {
  const sleeps: number[] = [];
  let clock = 0;
  const hooks = {
    sleep: (ms: number) => {
      sleeps.push(ms);
      clock += ms;
      return Promise.resolve();
    },
    now: () => clock,
    random: () => 1,
  };
  let n = 0;
  await withRetry(() => Promise.reject(new ApiError("x", 503)), true, DEFAULT_RETRY, hooks).catch(() => {});
  assertEquals(sleeps, [250, 500, 1000, 2000]);

  sleeps.length = 0;
  const r = await withRetry(
    () => {
      if (++n < 3) return Promise.reject(new ApiError("x", 429, undefined, { retryAfterSeconds: 2 }));
      return Promise.resolve("ok");
    },
    false,
    DEFAULT_RETRY,
    hooks,
  );
  assertEquals([r, sleeps], ["ok", [2000, 2000]]);

  sleeps.length = 0;
  await withRetry(
    () => Promise.reject(new ApiError("x", 429, undefined, { retryAfterSeconds: 120 })),
    true,
    DEFAULT_RETRY,
    hooks,
  ).catch(() => {});
  assertEquals(sleeps, [], "a Retry-After beyond the cap is not waited for");

  sleeps.length = 0;
  clock = 0;
  await withRetry(() => Promise.reject(new ApiError("x", 503)), true, { ...DEFAULT_RETRY, maxElapsedMs: 600 }, hooks)
    .catch(() => {});
  assertEquals(sleeps, [250], "the time budget ends the retries");
});
