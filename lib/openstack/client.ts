/**
 * The OpenStack client of one cloud: its TLS material read, one transport, the Keystone token, and the
 * Neutron, Octavia and Nova APIs. Nothing is sent until the first call (or `authenticate()`).
 *
 * Time is injectable: `sleep` (retry backoff, load-balancer polling) and `now` (token expiry, Retry-After
 * dates), both in milliseconds, so a test or a rehearsal against the simulator can scale them.
 */
import { ConfigError } from "../errors.ts";
import { registerSecret } from "../redact.ts";
import { VERSION } from "../version.ts";
import type { CloudConfig } from "./cloud_config.ts";
import { HttpCaller } from "./http.ts";
import { KeystoneAuth } from "./keystone.ts";
import { type OpenStackLogger, SecretMask, silentLogger } from "./log.ts";
import { Neutron } from "./neutron.ts";
import { Nova } from "./nova.ts";
import { Octavia } from "./octavia.ts";
import { DEFAULT_RETRY, type RetryPolicy, type Sleep } from "./retry.ts";
import { sleep as realSleep } from "../sleep.ts";
import { OpenStackSession } from "./session.ts";
import { createTransport, type TlsMaterial, type Transport } from "./transport.ts";

export interface OpenStackClientOptions {
  /** `-v` logging (levels in log.ts); default silent. */
  logger?: OpenStackLogger;
  /** Per-attempt timeout in milliseconds; 0 or absent = none. */
  requestTimeoutMs?: number;
  retry?: Partial<RetryPolicy>;
  /** Every wait of the client goes through this (default: real time). */
  sleep?: Sleep;
  /** The clock for token expiry and Retry-After dates (default Date.now). */
  now?: () => number;
  /** Jitter source (default Math.random). */
  random?: () => number;
  /** Cancels every request in flight and every wait. */
  signal?: AbortSignal;
  /** Another transport (tests); default: fetch, or node:https for `verify: false`. */
  transport?: Transport;
}

/** What `authenticate()` reports: enough for a preflight check, nothing secret. */
export interface AuthSummary {
  cloud: string;
  projectId?: string;
  projectName?: string;
  userId?: string;
  userName?: string;
  roles: string[];
  expiresAt: string;
  /** Service types the catalog lists. */
  services: string[];
}

export interface OpenStackClient {
  readonly cloud: CloudConfig;
  readonly session: OpenStackSession;
  readonly neutron: Neutron;
  readonly octavia: Octavia;
  readonly nova: Nova;
  /** Authenticates now (or reuses a valid token); a clear error when Keystone refuses. */
  authenticate(): Promise<AuthSummary>;
  close(): void;
}

async function readPem(path: string, what: string, cloud: CloudConfig): Promise<string> {
  try {
    return await Deno.readTextFile(path);
  } catch (err) {
    throw new ConfigError(
      `The ${what} file ${path} of cloud ${cloud.name} (${cloud.source.description}) cannot be read: ` +
        `${err instanceof Error ? err.message : String(err)}.`,
      `Fix the path in the cloud's settings, or make the file readable.`,
    );
  }
}

const KEY_BLOCK = /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----\s*/;

/** The cloud's CA, client certificate and key, read from their files. */
export async function readTlsMaterial(cloud: CloudConfig): Promise<TlsMaterial> {
  const t = cloud.tls;
  const material: TlsMaterial = { verify: t.verify, caPem: t.caPem };
  if (t.verify && t.caFile) material.caPem = await readPem(t.caFile, "cacert", cloud);
  if (t.certFile) {
    let cert = await readPem(t.certFile, "cert", cloud);
    let key = t.keyFile ? await readPem(t.keyFile, "key", cloud) : undefined;
    // openstacksdk accepts a cert file that holds the key as well.
    if (!key) {
      const m = KEY_BLOCK.exec(cert);
      if (!m) {
        throw new ConfigError(
          `Cloud ${cloud.name} (${cloud.source.description}) has a client certificate but no key.`,
          "Set key to the client key file (or OS_KEY).",
        );
      }
      key = m[0];
      cert = cert.replace(KEY_BLOCK, "");
    }
    registerSecret(key);
    for (const line of key.split("\n")) registerSecret(line.trim());
    material.certPem = cert;
    material.keyPem = key;
  }
  return material;
}

/** A client for the cloud (reads the TLS files; sends nothing yet). */
export async function createOpenStackClient(
  cloud: CloudConfig,
  opts: OpenStackClientOptions = {},
): Promise<OpenStackClient> {
  const logger = opts.logger ?? silentLogger;
  const mask = new SecretMask();
  mask.add(cloud.auth.password);
  mask.add(cloud.auth.applicationCredentialSecret);
  const transport = opts.transport ?? createTransport(await readTlsMaterial(cloud));
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  const http = new HttpCaller({
    transport,
    cloud: cloud.name,
    logger,
    mask,
    retry: { ...DEFAULT_RETRY, ...opts.retry },
    sleep,
    random: opts.random ?? Math.random,
    now,
    requestTimeoutMs: opts.requestTimeoutMs ?? 0,
    signal: opts.signal,
    userAgent: `oc-ovn-migrate/${VERSION}`,
  });
  if (!cloud.tls.verify) logger.debug(2, `cloud ${cloud.name}: TLS certificates are not verified (verify: false)`);
  const auth = new KeystoneAuth(cloud, { http, logger, mask, now });
  const session = new OpenStackSession(cloud, http, auth, logger, mask);
  return {
    cloud,
    session,
    neutron: new Neutron(session),
    octavia: new Octavia(session, (ms) => sleep(ms, opts.signal)),
    nova: new Nova(session),
    async authenticate() {
      const t = await auth.token();
      return {
        cloud: cloud.name,
        projectId: t.projectId,
        projectName: t.projectName,
        userId: t.userId,
        userName: t.userName,
        roles: t.roles,
        expiresAt: t.expiresAtText,
        services: [...new Set(t.catalog.map((s) => s.type))].sort(),
      };
    },
    close: () => session.close(),
  };
}
