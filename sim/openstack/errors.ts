/**
 * Error bodies as each OpenStack service writes them, so clients parse what they would parse from a real
 * cloud: Neutron's `{"NeutronError": {type, message, detail}}` (neutron/api/v2/resource.py), Octavia's WSME
 * faults `{"faultcode", "faultstring", "debuginfo"}`, Nova's `{"itemNotFound": {code, message}}` family and
 * Keystone's (and keystonemiddleware's) `{"error": {code, title, message}}`.
 */

/** An error a handler throws; the server writes `body` with `status` (and `headers`). */
export class OpenStackHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Neutron: the exception class name is the type (neutron_lib.exceptions, neutron/extensions/*). */
export function neutronError(status: number, type: string, message: string): OpenStackHttpError {
  return new OpenStackHttpError(status, { NeutronError: { type, message, detail: "" } }, message);
}

/** Neutron's 404s for each collection: type and message as neutron_lib / neutron define them. */
export const NEUTRON_NOT_FOUND: Record<string, (id: string) => OpenStackHttpError> = {
  networks: (id) => neutronError(404, "NetworkNotFound", `Network ${id} could not be found.`),
  subnets: (id) => neutronError(404, "SubnetNotFound", `Subnet ${id} could not be found.`),
  ports: (id) => neutronError(404, "PortNotFound", `Port ${id} could not be found.`),
  routers: (id) => neutronError(404, "RouterNotFound", `Router ${id} could not be found`),
  "security-groups": (id) => neutronError(404, "SecurityGroupNotFound", `Security group ${id} does not exist`),
  "security-group-rules": (id) =>
    neutronError(404, "SecurityGroupRuleNotFound", `Security group rule ${id} does not exist`),
  trunks: (id) => neutronError(404, "TrunkNotFound", `Trunk ${id} could not be found.`),
  subnetpools: (id) => neutronError(404, "SubnetPoolNotFound", `Subnet pool ${id} could not be found.`),
  floatingips: (id) => neutronError(404, "FloatingIPNotFound", `Floating IP ${id} could not be found`),
};

export function neutronBadRequest(resource: string, msg: string): OpenStackHttpError {
  return neutronError(400, "BadRequest", `Bad ${resource} request: ${msg}.`);
}

/** Octavia (WSME): client errors carry faultcode "Client", server errors "Server". */
export function octaviaError(status: number, faultstring: string): OpenStackHttpError {
  return new OpenStackHttpError(
    status,
    { faultcode: status < 500 ? "Client" : "Server", faultstring, debuginfo: null },
    faultstring,
  );
}

/** Nova: the wrapper key depends on the status (nova/api/openstack/wsgi.py Fault). */
export function novaError(status: number, message: string): OpenStackHttpError {
  const key = status === 404
    ? "itemNotFound"
    : status === 409
    ? "conflictingRequest"
    : status === 400
    ? "badRequest"
    : status === 403
    ? "forbidden"
    : status === 429
    ? "overLimit"
    : "computeFault";
  return new OpenStackHttpError(status, { [key]: { code: status, message } }, message);
}

const TITLES: Record<number, string> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/** Keystone's and keystonemiddleware's body. */
export function keystoneError(status: number, message: string, headers: Record<string, string> = {}) {
  return new OpenStackHttpError(
    status,
    { error: { code: status, message, title: TITLES[status] ?? "Error" } },
    message,
    headers,
  );
}

/** What every service answers (through keystonemiddleware) without a valid token. */
export function unauthorized(identityUrl: string): OpenStackHttpError {
  return keystoneError(401, "The request you have made requires authentication.", {
    "WWW-Authenticate": `Keystone uri="${identityUrl}"`,
  });
}

/** An injected failure (faults.errorRate) in the service's own format. */
export function injectedError(service: string, status: number, retryAfterSeconds: number): OpenStackHttpError {
  const headers: Record<string, string> = status === 429 ? { "Retry-After": String(retryAfterSeconds) } : {};
  const message = status === 429
    ? "Rate limit exceeded (simulated)"
    : status === 503
    ? "The server is currently unavailable. Please try again at a later time. (simulated)"
    : "Request Failed: internal server error while processing your request. (simulated)";
  let e: OpenStackHttpError;
  if (service === "network") {
    e = neutronError(status, status === 503 ? "ServiceUnavailable" : "HTTPInternalServerError", message);
  } else if (service === "load-balancer") e = octaviaError(status, message);
  else if (service === "compute") e = novaError(status, message);
  else e = keystoneError(status, message);
  return new OpenStackHttpError(e.status, e.body, e.message, headers);
}
