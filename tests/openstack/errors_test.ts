/** Service error bodies read, and failures worded for users with the right exit code. */
import assert from "node:assert/strict";
import { CliError } from "../../lib/errors.ts";
import { ExitCode } from "../../lib/exit_codes.ts";
import {
  isConflict,
  isNotFound,
  isPendingConflict,
  parseServiceError,
  statusError,
  transportError,
} from "../../lib/openstack/errors.ts";

const call = (service: "network" | "load-balancer" | "compute" | "identity", method: string, url: string) => ({
  cloud: "mycloud",
  service,
  method,
  url: new URL(url),
});

Deno.test("each service's error body: type and message", () => {
  assert.deepEqual(
    parseServiceError(JSON.stringify({
      NeutronError: { type: "NetworkInUse", message: "Unable to complete operation on network n1.", detail: "" },
    })),
    { errorType: "NetworkInUse", message: "Unable to complete operation on network n1." },
  );
  assert.deepEqual(
    parseServiceError(
      '{"faultcode": "Client", "faultstring": "Invalid state PENDING_DELETE of loadbalancer resource x", "debuginfo": null}',
    ),
    { errorType: "Client", message: "Invalid state PENDING_DELETE of loadbalancer resource x" },
  );
  assert.deepEqual(
    parseServiceError('{"itemNotFound": {"code": 404, "message": "Instance abc could not be found."}}'),
    { errorType: "itemNotFound", message: "Instance abc could not be found." },
  );
  assert.deepEqual(
    parseServiceError('{"conflictingRequest": {"code": 409, "message": "Cannot \'reboot\' instance"}}'),
    { errorType: "conflictingRequest", message: "Cannot 'reboot' instance" },
  );
  assert.deepEqual(
    parseServiceError(
      '{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}',
    ),
    { errorType: "Unauthorized", message: "The request you have made requires authentication." },
  );
  assert.deepEqual(parseServiceError("<html><body><h1>502 Bad Gateway</h1></body></html>"), {
    message: "502 Bad Gateway",
  });
  assert.deepEqual(parseServiceError(""), {});
});

Deno.test("an HTTP error names the service, cloud, call, status and the service's own type and message", () => {
  const err = statusError(
    call("network", "DELETE", "https://h/network/v2.0/networks/n1?x=1"),
    409,
    JSON.stringify({
      NeutronError: { type: "NetworkInUse", message: "There are one or more ports still in use on the network." },
    }),
  );
  assert.ok(err instanceof CliError);
  assert.equal(
    err.message,
    "Neutron (cloud mycloud) answered DELETE /network/v2.0/networks/n1 with 409 NetworkInUse: There are one or more " +
      "ports still in use on the network.",
  );
  assert.equal(err.exitCode, ExitCode.RuntimeError);
  assert.deepEqual(
    {
      service: err.details.service,
      method: err.details.method,
      path: err.details.path,
      status: err.status,
      type: err.errorType,
    },
    { service: "network", method: "DELETE", path: "/network/v2.0/networks/n1?x=1", status: 409, type: "NetworkInUse" },
  );
  assert.equal(isConflict(err), true);
  assert.equal(isConflict(err, "NetworkInUse"), true);
  assert.equal(isConflict(err, "SubnetInUse"), false);

  const nova = statusError(
    call("compute", "GET", "https://h/compute/v2.1/servers/s1"),
    404,
    '{"itemNotFound": {"code": 404, "message": "Instance s1 could not be found."}}',
  );
  assert.equal(
    nova.message,
    "Nova (cloud mycloud) answered GET /compute/v2.1/servers/s1 with 404 itemNotFound: Instance s1 could not be found.",
  );
  assert.equal(isNotFound(nova), true);
});

Deno.test("exit codes: 401 is configuration (2); 403, 429 and 5xx are runtime (1), with hints", () => {
  const c = call("network", "GET", "https://h/v2.0/networks");
  assert.equal(statusError(c, 401, "").exitCode, ExitCode.UsageError);
  const forbidden = statusError(c, 403, '{"NeutronError": {"type": "PolicyNotAuthorized", "message": "rule x"}}');
  assert.equal(forbidden.exitCode, ExitCode.RuntimeError);
  assert.match(forbidden.hint ?? "", /role/);
  assert.equal(statusError(c, 429, "").exitCode, ExitCode.RuntimeError);
  const unavailable = statusError(c, 503, "Service Unavailable");
  assert.equal(unavailable.exitCode, ExitCode.RuntimeError);
  assert.match(unavailable.hint ?? "", /temporary/);
  assert.match(unavailable.message, /503: Service Unavailable/);
});

Deno.test("failures without an answer: TLS is configuration (2), unreachable and timeouts runtime (1)", () => {
  const c = call("load-balancer", "GET", "https://lb.example.com:9876/v2/lbaas/loadbalancers");
  const tls = transportError(c, "tls", "invalid peer certificate: UnknownIssuer");
  assert.equal(tls.exitCode, ExitCode.UsageError);
  assert.equal(
    tls.message,
    "Cannot verify the TLS certificate of Octavia at https://lb.example.com:9876 (cloud mycloud): invalid peer certificate: UnknownIssuer.",
  );
  assert.match(tls.hint ?? "", /cacert/);
  const refused = transportError(c, "connect", "Connection refused");
  assert.equal(refused.exitCode, ExitCode.RuntimeError);
  assert.match(refused.message, /^Cannot connect to Octavia at https:\/\/lb.example.com:9876/);
  const timeout = transportError(c, "timeout", "timed out");
  assert.equal(timeout.exitCode, ExitCode.RuntimeError);
  assert.equal(
    timeout.message,
    "Octavia at https://lb.example.com:9876 (cloud mycloud) did not answer GET /v2/lbaas/loadbalancers in time.",
  );
  assert.equal(timeout.details.transport, "timeout");
});

Deno.test("Octavia's pending conflicts are recognised, Neutron's 409s are not", () => {
  const lb = call("load-balancer", "DELETE", "https://h/v2/lbaas/loadbalancers/1");
  assert.equal(
    isPendingConflict(
      statusError(lb, 409, '{"faultstring": "Invalid state PENDING_UPDATE of loadbalancer resource 1"}'),
    ),
    true,
  );
  assert.equal(isPendingConflict(statusError(lb, 400, '{"faultstring": "Invalid state PENDING_UPDATE"}')), false);
  const net = call("network", "DELETE", "https://h/v2.0/networks/1");
  assert.equal(
    isPendingConflict(statusError(net, 409, '{"NeutronError": {"type": "X", "message": "PENDING_UPDATE"}}')),
    false,
  );
});
