/**
 * `-v` logging for the OpenStack client, kubectl's levels: 2 retries, 4 authentication and endpoint
 * choices, 6 each request's method, URL, status and time, 7 headers, 8 bodies (truncated), 9 whole bodies.
 * Every line is masked twice before it reaches the logger: the secrets this client knows of (of any length,
 * as `registerSecret` ignores short ones) and then the process-wide `redact`.
 */
import { redact } from "../redact.ts";

/** What the client needs from a logger (lib/cli's LevelLogger fits; lib/openstack imports no lib/cli module). */
export interface OpenStackLogger {
  debug(level: number, message: string): void;
  /** Optional: lets the client skip building a large body dump nobody will see. */
  enabled?(level: number): boolean;
}

export const silentLogger: OpenStackLogger = { debug() {}, enabled: () => false };

/** Headers whose values are credentials. */
const SENSITIVE_HEADERS = new Set(["x-auth-token", "x-subject-token", "x-service-token", "authorization", "cookie"]);

const MASK = "[REDACTED]";

/** The secrets of one client (passwords, application-credential secrets, tokens) and the masking of log lines. */
export class SecretMask {
  private readonly values = new Set<string>();

  add(value: string | undefined): void {
    // Shorter values would mask ordinary text; those are never put in a line anyway (bodies are redacted by field).
    if (value && value.length >= 4) this.values.add(value);
  }

  apply(text: string): string {
    let out = text;
    for (const v of this.values) out = out.split(v).join(MASK);
    return redact(out);
  }
}

/** `name: value` lines with credential headers masked. */
export function formatHeaders(headers: Iterable<[string, string]>): string {
  const lines: string[] = [];
  for (const [name, value] of headers) {
    lines.push(`${name}: ${SENSITIVE_HEADERS.has(name.toLowerCase()) ? MASK : value}`);
  }
  return lines.join("\n");
}

/** Fields of a JSON body that hold credentials, masked wherever they are nested. */
const SECRET_FIELDS = new Set(["password", "secret", "token", "application_credential_secret", "passcode"]);

/** A deep copy of a JSON value with every credential field masked (the Keystone auth body, for one). */
export function redactBody(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactBody);
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      out[k] = SECRET_FIELDS.has(k) && typeof v === "string" ? MASK : redactBody(v);
    }
    return out;
  }
  return value;
}

/** A body for the log: truncated at -v 8, whole at -v 9. */
export function bodyForLog(text: string, level: number): string {
  const limit = level >= 9 ? 200_000 : 2_000;
  return text.length > limit ? `${text.slice(0, limit)}… (${text.length} characters)` : text;
}
