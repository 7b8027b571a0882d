/**
 * Keystone v3 authentication: `POST {auth_url}/v3/auth/tokens` with the password method (user and project by
 * name and domain, or by id) or the application_credential method (by id, or by name with its user; no
 * scope, the credential implies its project). The token comes in the `X-Subject-Token` header and is
 * registered for redaction at once; the body gives its expiry and the service catalog.
 *
 * The token is renewed before it expires (its lifetime is taken from `issued_at`/`expires_at`, so a clock
 * difference between this machine and Keystone does not matter) and, by the session, once after a 401.
 */
import { z } from "zod";
import { ExitCode } from "../exit_codes.ts";
import { registerSecret } from "../redact.ts";
import { type CatalogService, CatalogServiceSchema, normalizeAuthUrl } from "./catalog.ts";
import type { CloudConfig } from "./cloud_config.ts";
import { type CallInfo, invalidResponse, OpenStackError } from "./errors.ts";
import type { HttpCaller } from "./http.ts";
import { type OpenStackLogger, redactBody, type SecretMask } from "./log.ts";

const named = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  domain: z.looseObject({ id: z.string().optional(), name: z.string().optional() }).optional(),
});

export const TokenBodySchema = z.looseObject({
  token: z.looseObject({
    expires_at: z.string(),
    issued_at: z.string().optional(),
    methods: z.array(z.string()).optional(),
    user: named.optional(),
    project: named.optional(),
    roles: z.array(z.looseObject({ id: z.string().optional(), name: z.string() })).optional(),
    catalog: z.array(CatalogServiceSchema).default([]),
  }),
});

/** A token and what came with it. */
export interface Token {
  /** The token itself (registered for redaction). */
  value: string;
  /** On this client's clock: when the token must be considered expired. */
  expiresAt: number;
  /** Keystone's expires_at, as sent. */
  expiresAtText: string;
  catalog: CatalogService[];
  projectId?: string;
  projectName?: string;
  userId?: string;
  userName?: string;
  roles: string[];
}

type Json = Record<string, unknown>;

function domain(id?: string, name?: string): Json | undefined {
  if (id) return { id };
  if (name) return { name };
  return undefined;
}

function user(a: CloudConfig["auth"]): Json {
  if (a.userId) return { id: a.userId };
  return { name: a.username, domain: domain(a.userDomainId, a.userDomainName) };
}

/** The body of `POST /v3/auth/tokens` for a cloud. */
export function authRequestBody(cloud: CloudConfig): Json {
  const a = cloud.auth;
  if (cloud.authType === "v3applicationcredential") {
    const credential: Json = a.applicationCredentialId
      ? { id: a.applicationCredentialId, secret: a.applicationCredentialSecret }
      : { name: a.applicationCredentialName, user: user(a), secret: a.applicationCredentialSecret };
    return { auth: { identity: { methods: ["application_credential"], application_credential: credential } } };
  }
  const project: Json = a.projectId
    ? { id: a.projectId }
    : { name: a.projectName, domain: domain(a.projectDomainId, a.projectDomainName) };
  return {
    auth: {
      identity: { methods: ["password"], password: { user: { ...user(a), password: a.password } } },
      scope: { project },
    },
  };
}

/** Who is authenticating, for logs and messages (no secrets). */
export function describeIdentity(cloud: CloudConfig): string {
  const a = cloud.auth;
  if (cloud.authType === "v3applicationcredential") {
    return a.applicationCredentialId
      ? `application credential ${a.applicationCredentialId}`
      : `application credential ${a.applicationCredentialName} of user ${a.userId ?? a.username}`;
  }
  return `user ${a.userId ?? a.username}, project ${a.projectId ?? a.projectName}`;
}

export interface KeystoneOptions {
  http: HttpCaller;
  logger: OpenStackLogger;
  mask: SecretMask;
  now: () => number;
}

/** The cloud's current token: obtained on first use, renewed before expiry or when invalidated. */
export class KeystoneAuth {
  private current?: Token;
  private pending?: Promise<Token>;
  readonly identityUrl: string;

  constructor(readonly cloud: CloudConfig, private readonly o: KeystoneOptions) {
    this.identityUrl = normalizeAuthUrl(cloud.auth.authUrl);
  }

  /** A token valid for a while yet. */
  token(): Promise<Token> {
    const t = this.current;
    if (t && !this.stale(t)) return Promise.resolve(t);
    if (t) {
      this.o.logger.debug(4, `token of cloud ${this.cloud.name} expires at ${t.expiresAtText}; authenticating again`);
    }
    this.pending ??= this.authenticate().finally(() => this.pending = undefined);
    return this.pending;
  }

  /** A service rejected `value` (401): the next token() authenticates again, unless that already happened. */
  invalidate(value: string): void {
    if (this.current?.value === value) this.current = undefined;
  }

  /** The token cached now, if any (no request). */
  peek(): Token | undefined {
    return this.current;
  }

  private stale(t: Token): boolean {
    return this.o.now() >= t.expiresAt;
  }

  private async authenticate(): Promise<Token> {
    const url = new URL(`${this.identityUrl}/auth/tokens`);
    const body = authRequestBody(this.cloud);
    const info: CallInfo = { cloud: this.cloud.name, service: "identity", method: "POST", url };
    this.o.logger.debug(
      4,
      this.o.mask.apply(
        `authenticating to ${this.identityUrl} for cloud ${this.cloud.name} as ${describeIdentity(this.cloud)}`,
      ),
    );
    let answer;
    try {
      // Asking for another token is harmless, so even a POST here may be repeated after a 5xx.
      answer = await this.o.http.call({
        service: "identity",
        method: "POST",
        url,
        body,
        logBody: redactBody(body),
        safeToRepeat: true,
      });
    } catch (err) {
      throw this.authFailure(err);
    }
    const received = this.o.now();
    const value = answer.headers.get("x-subject-token");
    if (!value) throw invalidResponse(info, answer.status, "no X-Subject-Token header");
    registerSecret(value);
    this.o.mask.add(value);
    let doc;
    try {
      doc = TokenBodySchema.parse(JSON.parse(answer.text));
    } catch (err) {
      throw invalidResponse(info, answer.status, err instanceof Error ? err.message.slice(0, 300) : String(err));
    }
    const t = doc.token;
    const expires = Date.parse(t.expires_at);
    if (Number.isNaN(expires)) throw invalidResponse(info, answer.status, `expires_at ${t.expires_at} is not a time`);
    const issued = t.issued_at ? Date.parse(t.issued_at) : NaN;
    const lifetime = Number.isNaN(issued) ? expires - received : expires - issued;
    // Renew a little early (a quarter of the lifetime, at most two minutes) so no request races the expiry.
    const margin = Math.min(120_000, Math.max(0, lifetime) / 4);
    const token: Token = {
      value,
      expiresAt: received + lifetime - margin,
      expiresAtText: t.expires_at,
      catalog: t.catalog,
      projectId: t.project?.id,
      projectName: t.project?.name,
      userId: t.user?.id,
      userName: t.user?.name,
      roles: (t.roles ?? []).map((r) => r.name),
    };
    this.o.logger.debug(
      4,
      this.o.mask.apply(
        `authenticated to cloud ${this.cloud.name}: project ${token.projectName ?? "?"} (${token.projectId ?? "?"}), ` +
          `roles ${token.roles.join(",") || "none"}, token valid until ${t.expires_at}`,
      ),
    );
    this.current = token;
    return token;
  }

  /** Keystone's refusals are configuration errors (exit 2) that name the cloud and what to check. */
  private authFailure(err: unknown): unknown {
    if (!(err instanceof OpenStackError) || err.status === undefined) return err;
    const c = this.cloud;
    const said = `${err.status}${err.errorType ? ` ${err.errorType}` : ""}${
      err.details.serviceMessage ? `: ${err.details.serviceMessage}` : ""
    }`;
    const where = `${c.source.description}${c.source.secureFile ? ` / ${c.source.secureFile}` : ""}`;
    const check = c.authType === "v3applicationcredential"
      ? "the application credential (id, or name and user) and its secret; it may have expired or been deleted"
      : "the user name (or id), its domain, the password and the project";
    if (err.status === 401 || err.status === 400) {
      return new OpenStackError(
        `Keystone at ${this.identityUrl} rejected the credentials of cloud ${c.name} (${said}).`,
        err.details,
        ExitCode.UsageError,
        `Check ${check} of cloud ${c.name} in ${where}; \`openstack --os-cloud ${c.name} token issue\` must work ` +
          "with them.",
        { cause: err },
      );
    }
    if (err.status === 404) {
      return new OpenStackError(
        `There is no Keystone v3 API at ${this.identityUrl} (404) for cloud ${c.name}.`,
        err.details,
        ExitCode.UsageError,
        `Set auth_url of cloud ${c.name} in ${where} to the Keystone endpoint (e.g. https://keystone.example.com:5000/v3).`,
        { cause: err },
      );
    }
    return err;
  }
}
