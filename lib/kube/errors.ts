/**
 * API failures turned into messages a user can act on: 401 (log in again), 403 (which permission is
 * missing), TLS and connection failures (which server, what to check), and "not an OpenShift cluster".
 * No stack traces: these are `KubeError`s (or `ConfigError`s) that main.ts prints as message + hint.
 */
import { ConfigError, KubeError } from "../errors.ts";
import { ExitCode } from "../exit_codes.ts";
import { redact } from "../redact.ts";
import { qualifiedName, type ResourceRef } from "./resources.ts";

/** What a request was about, for messages. */
export interface RequestInfo {
  server: string;
  method: string;
  /** The RBAC verb (get, list, watch, create, update, patch, delete). */
  verb: string;
  ref?: ResourceRef;
  namespace?: string;
  name?: string;
  path: string;
}

/** A failed API request, with what retry logic and callers need to decide what to do. */
export class ApiError extends KubeError {
  constructor(
    message: string,
    status: number | undefined,
    hint?: string,
    readonly details: {
      /** Status.reason from the server (NotFound, AlreadyExists, Conflict, Expired, Forbidden…). */
      reason?: string;
      /** Retry-After, in seconds, when the server sent one. */
      retryAfterSeconds?: number;
      /** Node/undici error code of a transport failure (ECONNREFUSED, ECONNRESET, UND_ERR_SOCKET…). */
      code?: string;
      /** False when the request certainly never reached the server (safe to repeat even for a write). */
      sent?: boolean;
      /** The request timed out (--request-timeout). */
      timeout?: boolean;
      /** The raw Status object, if any. */
      body?: unknown;
    } = {},
    exitCode: ExitCode = ExitCode.RuntimeError,
    cause?: unknown,
  ) {
    super(message, status, hint, { exitCode, cause });
  }
}

interface StatusBody {
  kind?: string;
  message?: string;
  reason?: string;
  code?: number;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string }[] };
}

function parseStatus(body: string): StatusBody | undefined {
  try {
    const doc = JSON.parse(body);
    return doc && typeof doc === "object" ? doc : undefined;
  } catch {
    return undefined;
  }
}

function what(info: RequestInfo): string {
  if (!info.ref) return info.path;
  const name = qualifiedName(info.ref);
  return info.name ? `${name} "${info.name}"` : name;
}

const inNamespace = (ns?: string) => ns ? ` in namespace ${ns}` : "";

/** Maps an HTTP error response to an ApiError. */
export function statusError(
  info: RequestInfo,
  status: number,
  body: string,
  retryAfter?: string | null,
): ApiError {
  const st = parseStatus(body);
  const reason = st?.reason;
  const serverMessage = st?.message ? redact(st.message) : redact(body.trim().slice(0, 300));
  const retryAfterSeconds = parseRetryAfter(retryAfter);
  const details = { reason, retryAfterSeconds, body: st ?? body, sent: true };

  if (status === 401) {
    return new ApiError(
      `The server rejected your credentials (401 Unauthorized). Log in again: oc login ${info.server}`,
      401,
      "Your token may have expired. `oc login` refreshes it; or pass --kubeconfig/--context for another account.",
      details,
      ExitCode.UsageError,
    );
  }
  if (status === 403) {
    const denied = forbiddenFromMessage(st?.message) ?? {
      verb: info.verb,
      resource: info.ref ? qualifiedName(info.ref) : info.path,
      namespace: info.ref?.namespaced ? info.namespace : undefined,
    };
    return new ApiError(
      `You are not allowed to ${denied.verb} ${denied.resource}${inNamespace(denied.namespace)} (403). ` +
        `Ask a cluster administrator for the permission, or use an account with cluster-admin.`,
      403,
      st?.message ? `The server said: ${serverMessage}` : undefined,
      details,
    );
  }
  if (status === 404) {
    return new ApiError(`${what(info)}${inNamespace(info.namespace)} was not found (404).`, 404, undefined, details);
  }
  if (status === 409) {
    return new ApiError(
      reason === "AlreadyExists"
        ? `${what(info)}${inNamespace(info.namespace)} already exists (409).`
        : `${what(info)} was changed by someone else while we updated it (409 Conflict): ${serverMessage}`,
      409,
      undefined,
      details,
    );
  }
  if (status === 410) {
    return new ApiError(`The list or watch position expired (410 Gone): ${serverMessage}`, 410, undefined, details);
  }
  if (status === 422 || status === 400) {
    return new ApiError(
      `The server refused to ${info.verb} ${what(info)} (${status} ${reason ?? "Invalid"}): ${serverMessage}`,
      status,
      undefined,
      details,
    );
  }
  if (status === 429) {
    return new ApiError(
      `The API server at ${info.server} is overloaded (429 Too Many Requests).`,
      429,
      "Wait a little and run the command again.",
      details,
    );
  }
  return new ApiError(
    `The API server at ${info.server} failed to ${info.verb} ${what(info)} (${status}${
      reason ? ` ${reason}` : ""
    }): ${serverMessage}`,
    status,
    status >= 500
      ? "This is usually temporary; run the command again. If it persists, check the API server."
      : undefined,
    details,
  );
}

/** "…: User "x" cannot patch resource "networks" in API group "operator.openshift.io" in the namespace "y"". */
function forbiddenFromMessage(message?: string) {
  if (!message) return undefined;
  const m = /cannot (\S+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)")?/.exec(message);
  if (!m) return undefined;
  const [, verb, resource, group, namespace] = m;
  return { verb, resource: group ? `${resource}.${group}` : resource, namespace };
}

export function parseRetryAfter(value?: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

const TLS_CODES = new Set([
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "CERT_UNTRUSTED",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "ERR_SSL_WRONG_VERSION_NUMBER",
]);
/** Failures that happen before a request reaches the server. */
const NOT_SENT_CODES = new Set([
  "ECONNREFUSED",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "UND_ERR_CONNECT_TIMEOUT",
  ...TLS_CODES,
]);
const RESET_CODES = new Set(["ECONNRESET", "EPIPE", "UND_ERR_SOCKET", "UND_ERR_CLOSED", "ECONNABORTED"]);

/** The innermost error code and message of an error chain (undici wraps the socket error in "fetch failed"). */
export function errorCode(err: unknown): { code?: string; message: string; name?: string } {
  let code: string | undefined;
  let name: string | undefined;
  let message = err instanceof Error ? err.message : String(err);
  let cur: unknown = err;
  for (let depth = 0; cur && depth < 6; depth++) {
    const e = cur as { code?: unknown; message?: unknown; name?: unknown; cause?: unknown };
    if (e.name === "TimeoutError" || e.name === "AbortError") name ??= e.name;
    if (code === undefined && typeof e.code === "string") {
      code = e.code;
      if (typeof e.message === "string") message = e.message;
    } else if (code === undefined && typeof e.message === "string" && e.message) {
      message = e.message;
    }
    cur = e.cause;
  }
  return { code, message, name };
}

export function isTlsFailure(code?: string, message = ""): boolean {
  return (code !== undefined && (TLS_CODES.has(code) || code.startsWith("ERR_SSL") || code.startsWith("ERR_TLS"))) ||
    /certificate|self[- ]signed|unknown ?issuer|invalid peer/i.test(message);
}

/** Maps a transport failure (no HTTP response) to an ApiError naming the server. */
export function transportError(info: RequestInfo, err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  const { code, message, name } = errorCode(err);
  const host = info.server;
  if (name === "TimeoutError" || code === "ETIMEDOUT" || code === "UND_ERR_HEADERS_TIMEOUT") {
    return new ApiError(
      `The API server at ${host} did not answer in time (${info.verb} ${what(info)}).`,
      undefined,
      "Check the network path to the cluster, or raise --request-timeout.",
      { code: code ?? "TIMEOUT", timeout: true, sent: code === "UND_ERR_CONNECT_TIMEOUT" ? false : undefined },
      ExitCode.RuntimeError,
      err,
    );
  }
  if (name === "AbortError") {
    return new ApiError(`The request to ${host} was cancelled.`, undefined, undefined, { code: "ABORTED" }, 1, err);
  }
  if (isTlsFailure(code, message)) {
    return new ApiError(
      `Cannot verify the TLS certificate of the API server at ${host}: ${redact(message)}.`,
      undefined,
      "Pass --certificate-authority FILE with the cluster's CA, or check certificate-authority(-data) and the " +
        "server name in the kubeconfig (`oc login <server>` fixes both).",
      { code, sent: false },
      ExitCode.UsageError,
      err,
    );
  }
  if (code === "ECONNREFUSED") {
    return new ApiError(
      `Cannot connect to the API server at ${host}: connection refused.`,
      undefined,
      "Check that the server URL in the kubeconfig (or --server) is right and that the API server is up.",
      { code, sent: false },
      ExitCode.UsageError,
      err,
    );
  }
  if (code === "ENOTFOUND" || code === "EAI_AGAIN") {
    return new ApiError(
      `Cannot resolve the API server's host name (${host}).`,
      undefined,
      "Check the server URL in the kubeconfig (or --server) and your DNS.",
      { code, sent: false },
      ExitCode.UsageError,
      err,
    );
  }
  if (code && RESET_CODES.has(code)) {
    return new ApiError(
      `The connection to the API server at ${host} was reset (${code}).`,
      undefined,
      "Check the network path to the cluster and run the command again.",
      { code, sent: undefined },
      ExitCode.RuntimeError,
      err,
    );
  }
  return new ApiError(
    `Cannot reach the API server at ${host}: ${redact(message)}${code ? ` (${code})` : ""}.`,
    undefined,
    "Check the server URL, the network and any proxy (proxy-url in the kubeconfig).",
    { code, sent: code ? !NOT_SENT_CODES.has(code) ? undefined : false : undefined },
    ExitCode.RuntimeError,
    err,
  );
}

/** A transport error whose request certainly did not reach the server. */
export function notSent(err: unknown): boolean {
  return err instanceof ApiError && err.details.sent === false;
}

/** A dropped or reset connection (the request may or may not have been applied). */
export function connectionReset(err: unknown): boolean {
  return err instanceof ApiError && err.details.code !== undefined && RESET_CODES.has(err.details.code);
}

/** The HTTP status an API failure carried (KubeError, or a test double with a numeric `status`), if any. */
export function httpStatus(err: unknown): number | undefined {
  const s = (err as { status?: unknown } | undefined)?.status;
  return typeof s === "number" ? s : undefined;
}

/** The one not-found test: the object (or the resource type) does not exist. */
export const isNotFound = (err: unknown) => httpStatus(err) === 404;
export const isConflict = (err: unknown) =>
  err instanceof ApiError && err.status === 409 && err.details.reason !== "AlreadyExists";
export const isAlreadyExists = (err: unknown) =>
  err instanceof ApiError && err.status === 409 && err.details.reason === "AlreadyExists";
export const isForbidden = (err: unknown) => err instanceof KubeError && err.status === 403;
export const isUnauthorized = (err: unknown) => err instanceof KubeError && err.status === 401;

/**
 * A 404 that means the API itself is absent (no such group/resource on this server), not a missing
 * object: the server then answers with a bare "404 page not found" rather than a NotFound Status naming
 * the object.
 */
export function isMissingApi(err: unknown): boolean {
  if (!(err instanceof ApiError) || err.status !== 404) return false;
  const body = err.details.body as StatusBody | string | undefined;
  if (typeof body === "string" || !body) return true;
  return !(body.reason === "NotFound" && body.details?.name);
}

/** The OpenShift API groups a cluster must serve for this tool to work. */
export const OPENSHIFT_GROUPS = ["config.openshift.io", "operator.openshift.io"] as const;

/** The error preflight raises when discovery lacks the OpenShift groups (exit 2). */
export function notOpenShiftError(server: string, missing: readonly string[] = OPENSHIFT_GROUPS): ConfigError {
  return new ConfigError(
    `The cluster at ${server} is not an OpenShift cluster: the API group${missing.length > 1 ? "s" : ""} ` +
      `${missing.join(", ")} ${missing.length > 1 ? "are" : "is"} missing.`,
    "oc-ovn-migrate only works on OpenShift. Check that --context/--kubeconfig point at the cluster you mean.",
  );
}

/** Missing OpenShift groups among what discovery returned (empty = it is OpenShift). */
export function missingOpenShiftGroups(groups: readonly string[]): string[] {
  const have = new Set(groups);
  return OPENSHIFT_GROUPS.filter((g) => !have.has(g));
}
