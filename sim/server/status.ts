/** metav1.Status bodies with the codes, reasons and messages kube-apiserver sends. */
import { StoreError } from "../store.ts";
import type { RequestAttributes } from "./auth.ts";

export interface StatusBody {
  kind: "Status";
  apiVersion: "v1";
  metadata: Record<string, never>;
  status: "Success" | "Failure";
  message?: string;
  reason?: string;
  details?: Record<string, unknown>;
  code: number;
}

/** An error the HTTP layer answers with a Status body (and optional extra headers). */
export class HttpError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }
}

export function failure(code: number, reason: string, message: string, details?: Record<string, unknown>): StatusBody {
  const s: StatusBody = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code };
  if (details && Object.keys(details).length) s.details = details;
  return s;
}

export function success(details?: Record<string, unknown>): StatusBody {
  const s: StatusBody = { kind: "Status", apiVersion: "v1", metadata: {}, status: "Success", code: 200 };
  if (details) s.details = details;
  return s;
}

/** Any thrown value → a Status body (unexpected errors become 500 InternalError). */
export function statusFromError(e: unknown): StatusBody {
  if (e instanceof HttpError) return failure(e.code, e.reason, e.message, e.details);
  if (e instanceof StoreError) {
    const details: Record<string, unknown> = {};
    if (e.details?.name !== undefined) details.name = e.details.name;
    if (e.details?.group !== undefined) details.group = e.details.group;
    if (e.details?.kind !== undefined) details.kind = e.details.kind;
    if (e.details?.causes) {
      details.causes = e.details.causes.map((c) => ({
        reason: causeReason(c.message),
        message: c.message.slice(c.field.length + 1).trim() || c.message,
        field: c.field,
      }));
    }
    return failure(e.code, e.reason, e.message, details);
  }
  const msg = e instanceof Error ? e.message : String(e);
  return failure(500, "InternalError", `Internal error occurred: ${msg}`, { causes: [{ message: msg }] });
}

function causeReason(message: string): string {
  if (message.includes("Required value")) return "FieldValueRequired";
  if (message.includes("Unsupported value")) return "FieldValueNotSupported";
  if (message.includes("Forbidden")) return "FieldValueForbidden";
  return "FieldValueInvalid";
}

export const unauthorized = () => new HttpError(401, "Unauthorized", "Unauthorized");

/** `pods "x" is forbidden: User "u" cannot get resource "pods" in API group "" in the namespace "ns"`. */
export function forbidden(user: string, a: RequestAttributes, reason?: string): HttpError {
  const suffix = reason ? `: ${reason}` : "";
  if (!a.resource) {
    return new HttpError(
      403,
      "Forbidden",
      `forbidden: User "${user}" cannot ${a.verb} path "${a.path ?? "/"}"${suffix}`,
    );
  }
  const qualified = a.apiGroup ? `${a.resource}.${a.apiGroup}` : a.resource;
  const subject = a.name ? `${qualified} "${a.name}"` : qualified;
  const res = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  const scope = a.namespace ? `in the namespace "${a.namespace}"` : "at the cluster scope";
  return new HttpError(
    403,
    "Forbidden",
    `${subject} is forbidden: User "${user}" cannot ${a.verb} resource "${res}" in API group "${a.apiGroup}" ${scope}${suffix}`,
    { ...(a.name ? { name: a.name } : {}), group: a.apiGroup, kind: a.resource },
  );
}

export const notFoundPath = () =>
  new HttpError(404, "NotFound", "the server could not find the requested resource", {});

export const methodNotAllowed = (verb: string, what: string) =>
  new HttpError(405, "MethodNotAllowed", `${verb} is not supported on resources of kind "${what}"`);

export const badRequest = (message: string) => new HttpError(400, "BadRequest", message);
