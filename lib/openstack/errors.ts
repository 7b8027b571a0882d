/**
 * OpenStack failures as `CliError`s a user can act on: which service, which call, what the service said
 * (Neutron's `NeutronError.type`, Octavia's `faultstring`, Nova's `{"itemNotFound": …}`, Keystone's
 * `error.title`), and the fix. Exit codes: rejected credentials and TLS problems are configuration errors (2);
 * unreachable services, timeouts and 5xx after the retries are runtime errors (1).
 */
import { CliError } from "../errors.ts";
import { ExitCode } from "../exit_codes.ts";
import { redact } from "../redact.ts";

/** The catalog service types this client talks to. */
export type ServiceType = "identity" | "network" | "load-balancer" | "compute";

/** How services are named in messages. */
export const SERVICE_LABEL: Record<ServiceType, string> = {
  identity: "Keystone",
  network: "Neutron",
  "load-balancer": "Octavia",
  compute: "Nova",
};

/** Why no HTTP answer came back. */
export type TransportKind = "timeout" | "connect" | "tls" | "reset" | "aborted";

/** Everything known about a failed call. */
export interface OpenStackErrorDetails {
  cloud?: string;
  service: ServiceType;
  method: string;
  /** URL path and query of the call. */
  path: string;
  /** HTTP status, absent when no answer came back. */
  status?: number;
  /** The service's own error type: Neutron `NeutronError.type`, Nova's body key, Octavia `faultcode`, Keystone `error.title`. */
  errorType?: string;
  /** The service's own message, redacted. */
  serviceMessage?: string;
  /** Set when no HTTP answer came back. */
  transport?: TransportKind;
  /** Retry-After of a 429/503, in milliseconds. */
  retryAfterMs?: number;
  /** How many attempts were made before giving up. */
  attempts?: number;
  /** The answer was not what the API documents (not JSON, or not the documented shape). */
  invalidResponse?: boolean;
}

/** A failed OpenStack call. */
export class OpenStackError extends CliError {
  constructor(
    message: string,
    readonly details: OpenStackErrorDetails,
    exitCode: ExitCode = ExitCode.RuntimeError,
    hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, exitCode, hint, options);
  }

  get status(): number | undefined {
    return this.details.status;
  }

  get errorType(): string | undefined {
    return this.details.errorType;
  }

  get service(): ServiceType {
    return this.details.service;
  }
}

/** The service's error type and message from an error body of any of the four services. */
export function parseServiceError(body: string): { errorType?: string; message?: string } {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    const text = body.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim();
    return text ? { message: text.slice(0, 300) } : {};
  }
  if (!doc || typeof doc !== "object") return {};
  const d = doc as Record<string, unknown>;
  const neutron = d.NeutronError as { type?: unknown; message?: unknown } | undefined;
  if (neutron && typeof neutron === "object") {
    return { errorType: str(neutron.type), message: str(neutron.message) };
  }
  if ("faultstring" in d) return { errorType: str(d.faultcode), message: str(d.faultstring) };
  const keystone = d.error as { title?: unknown; message?: unknown } | undefined;
  if (keystone && typeof keystone === "object") {
    return { errorType: str(keystone.title), message: str(keystone.message) };
  }
  // Nova: one key naming the fault, e.g. {"itemNotFound": {"code": 404, "message": "…"}}.
  const keys = Object.keys(d);
  if (keys.length === 1 && d[keys[0]] && typeof d[keys[0]] === "object") {
    const inner = d[keys[0]] as { message?: unknown };
    if (typeof inner.message === "string") return { errorType: keys[0], message: inner.message };
  }
  if (typeof d.message === "string") return { message: d.message };
  return {};
}

const str = (v: unknown) => typeof v === "string" && v !== "" ? v : undefined;

/** What the request was, for messages. */
export interface CallInfo {
  cloud?: string;
  service: ServiceType;
  method: string;
  url: URL;
}

function callText(info: CallInfo): string {
  return `${info.method} ${info.url.pathname}`;
}

/** Ends a message with a full stop unless the service's own text already does. */
const end = (text: string) => /[.!?]$/.test(text) ? text : `${text}.`;

function cloudText(cloud?: string): string {
  return cloud ? ` (cloud ${cloud})` : "";
}

/** An HTTP error answer as an OpenStackError. */
export function statusError(info: CallInfo, status: number, body: string, retryAfterMs?: number): OpenStackError {
  const { errorType, message } = parseServiceError(body);
  const serviceMessage = message ? redact(message) : undefined;
  const label = SERVICE_LABEL[info.service];
  const details: OpenStackErrorDetails = {
    cloud: info.cloud,
    service: info.service,
    method: info.method,
    path: info.url.pathname + info.url.search,
    status,
    errorType,
    serviceMessage,
    retryAfterMs,
  };
  const said = `${status}${errorType ? ` ${errorType}` : ""}${serviceMessage ? `: ${serviceMessage}` : ""}`;
  const text = `${label}${cloudText(info.cloud)} answered ${callText(info)} with ${said}`;
  if (status === 401) {
    return new OpenStackError(
      `${end(text)} The token was rejected even after authenticating again.`,
      details,
      ExitCode.UsageError,
      `Check the credentials and project of cloud ${info.cloud ?? "(unnamed)"}; ` +
        "`openstack token issue` with the same cloud shows whether Keystone accepts them.",
    );
  }
  if (status === 403) {
    return new OpenStackError(
      `${end(text)} The OpenStack user is not allowed to do this.`,
      details,
      ExitCode.RuntimeError,
      "Use an OpenStack account with the member (or admin) role on the cluster's project.",
    );
  }
  if (status === 429) {
    return new OpenStackError(
      `${end(text)} ${label} is rate limiting this client.`,
      details,
      ExitCode.RuntimeError,
      "Wait a little and run the command again.",
    );
  }
  if (status >= 500) {
    return new OpenStackError(
      end(text),
      details,
      ExitCode.RuntimeError,
      `This is usually temporary: run the command again. If it persists, check ${label}'s logs.`,
    );
  }
  return new OpenStackError(end(text), details);
}

/** A failure without an HTTP answer as an OpenStackError naming the service and what to check. */
export function transportError(info: CallInfo, kind: TransportKind, reason: string, cause?: unknown): OpenStackError {
  const label = SERVICE_LABEL[info.service];
  const where = `${label} at ${info.url.origin}${cloudText(info.cloud)}`;
  const details: OpenStackErrorDetails = {
    cloud: info.cloud,
    service: info.service,
    method: info.method,
    path: info.url.pathname + info.url.search,
    transport: kind,
  };
  const why = redact(reason);
  switch (kind) {
    case "timeout":
      return new OpenStackError(
        `${where} did not answer ${callText(info)} in time.`,
        details,
        ExitCode.RuntimeError,
        "Check the network path to the OpenStack API, or allow more time (--request-timeout).",
        { cause },
      );
    case "tls":
      return new OpenStackError(
        `Cannot verify the TLS certificate of ${where}: ${why}.`,
        details,
        ExitCode.UsageError,
        "Point `cacert` of the cloud in clouds.yaml (or OS_CACERT) at the CA bundle that signed the OpenStack " +
          "API certificates.",
        { cause },
      );
    case "connect":
      return new OpenStackError(
        `Cannot connect to ${where}: ${why}.`,
        details,
        ExitCode.RuntimeError,
        "Check the URL (auth_url in clouds.yaml, or the Keystone catalog), the network and any proxy.",
        { cause },
      );
    case "reset":
      return new OpenStackError(
        `The connection to ${where} broke during ${callText(info)}: ${why}.`,
        details,
        ExitCode.RuntimeError,
        "Check the network path to the OpenStack API and run the command again.",
        { cause },
      );
    case "aborted":
      return new OpenStackError(
        `${callText(info)} to ${where} was cancelled.`,
        details,
        ExitCode.RuntimeError,
        undefined,
        {
          cause,
        },
      );
  }
}

/** The answer was not the documented JSON. */
export function invalidResponse(info: CallInfo, status: number, problem: string): OpenStackError {
  return new OpenStackError(
    `${SERVICE_LABEL[info.service]}${cloudText(info.cloud)} answered ${callText(info)} (${status}) with a response ` +
      `this client cannot read: ${redact(problem)}.`,
    {
      cloud: info.cloud,
      service: info.service,
      method: info.method,
      path: info.url.pathname + info.url.search,
      status,
      invalidResponse: true,
    },
  );
}

export const isOpenStackError = (err: unknown): err is OpenStackError => err instanceof OpenStackError;
export const isNotFound = (err: unknown) => err instanceof OpenStackError && err.status === 404;
/** A 409; with `type`, only Neutron's conflict of that `NeutronError.type` (NetworkInUse, SecurityGroupInUse …). */
export const isConflict = (err: unknown, type?: string) =>
  err instanceof OpenStackError && err.status === 409 && (type === undefined || err.errorType === type);

/** Octavia's 409 while a load balancer is PENDING_* (LBPendingStateError, or ImmutableObject for its children). */
export function isPendingConflict(err: unknown): boolean {
  if (!(err instanceof OpenStackError) || err.status !== 409 || err.service !== "load-balancer") return false;
  const msg = err.details.serviceMessage ?? "";
  return /PENDING_/.test(msg) || /is immutable and cannot be updated/.test(msg);
}

/** Octavia's 409 because the load balancer is already being deleted: repeating a change there is futile. */
export function isPendingDeleteConflict(err: unknown): boolean {
  return isPendingConflict(err) && /PENDING_DELETE/.test((err as OpenStackError).details.serviceMessage ?? "");
}
