/**
 * One cloud's settings as the client uses them, made from a clouds.yaml entry (or the OS_* variables) the
 * way openstacksdk's loader does it (`openstack/config/loader.py` `magic_fixes`): keys with dashes accepted,
 * values at the top level of the entry moved into `auth`, `tenant_*` read as `project_*`, `*endpoint_type` as
 * `interface`, `domain_id`/`domain_name` the default for both the user's and the project's domain of a
 * project-scoped cloud, `insecure` turned into `verify: false`. Unsupported or incomplete settings are
 * configuration errors naming the cloud, where it came from and what to set.
 */
import { ConfigError } from "../errors.ts";
import { registerSecret } from "../redact.ts";

/** The Keystone v3 methods this client speaks. */
export type AuthType = "password" | "v3applicationcredential";

/** The `auth` section, normalised. */
export interface AuthSettings {
  authUrl: string;
  username?: string;
  userId?: string;
  password?: string;
  userDomainName?: string;
  userDomainId?: string;
  projectName?: string;
  projectId?: string;
  projectDomainName?: string;
  projectDomainId?: string;
  applicationCredentialId?: string;
  applicationCredentialName?: string;
  applicationCredentialSecret?: string;
}

/** TLS settings; files are read when the client is created. */
export interface TlsSettings {
  /** false: `verify: false` or `insecure: true` in the cloud's settings. */
  verify: boolean;
  /** CA bundle file (`cacert`, OS_CACERT). */
  caFile?: string;
  /** CA bundle text, when it does not come from a file (the cluster's ConfigMap). */
  caPem?: string;
  /** Client certificate and key files (`cert`/`key`, OS_CERT/OS_KEY). */
  certFile?: string;
  keyFile?: string;
}

/** Where a cloud's settings came from, for messages ("…/clouds.yaml", "the OS_* environment variables" …). */
export interface CloudSource {
  /** A path, or a description such as "the OS_* environment variables". */
  description: string;
  /** The secure.yaml merged in, if any. */
  secureFile?: string;
}

/** A cloud, ready for the client. */
export interface CloudConfig {
  name: string;
  source: CloudSource;
  authType: AuthType;
  auth: AuthSettings;
  /** Absent: the first region the catalog lists for each service (what keystoneauth does). */
  regionName?: string;
  /** Catalog interface: public (default), internal or admin; `publicURL`-style values normalised. */
  interface: string;
  tls: TlsSettings;
}

type Raw = Record<string, unknown>;

/** Keys with dashes as openstacksdk's normalize_keys does; numbers as strings. */
export function normalizeKeys(value: Raw): Raw {
  const out: Raw = {};
  for (const [k, v] of Object.entries(value)) {
    const key = k.replaceAll("-", "_");
    if (v && typeof v === "object" && !Array.isArray(v)) out[key] = normalizeKeys(v as Raw);
    else if (typeof v === "number") out[key] = String(v);
    else out[key] = v;
  }
  return out;
}

/** Like openstacksdk's merge_clouds: nested mappings merged, everything else replaced. */
export function mergeDeep(base: Raw, over: Raw): Raw {
  const out: Raw = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const prev = out[k];
    if (v && typeof v === "object" && !Array.isArray(v)) {
      out[k] = prev && typeof prev === "object" && !Array.isArray(prev)
        ? mergeDeep(prev as Raw, v as Raw)
        : mergeDeep({}, v as Raw);
    } else {
      out[k] = v;
    }
  }
  return out;
}

/** Fields that hold secrets in a raw cloud entry: registered for redaction as soon as a file is read. */
const SECRET_KEYS = ["password", "application_credential_secret", "token", "auth_token", "passcode"];

export function registerRawSecrets(raw: Raw): void {
  for (const [k, v] of Object.entries(raw)) {
    const key = k.replaceAll("-", "_");
    if (typeof v === "string" && SECRET_KEYS.includes(key)) registerSecret(v);
    else if (v && typeof v === "object" && !Array.isArray(v)) registerRawSecrets(v as Raw);
  }
}

const str = (v: unknown): string | undefined =>
  typeof v === "string" && v !== "" ? v : typeof v === "number" ? String(v) : undefined;

function bool(v: unknown): boolean | undefined {
  if (typeof v === "boolean") return v;
  if (typeof v === "string") {
    if (/^(true|yes|1)$/i.test(v)) return true;
    if (/^(false|no|0)$/i.test(v)) return false;
  }
  return undefined;
}

/** keystoneauth's v3 catalog normalisation: "publicURL" → "public". */
export function normalizeInterface(value: string): string {
  return value.replace(/URL$/, "");
}

function expandHome(path: string | undefined, home: string | undefined): string | undefined {
  if (!path) return undefined;
  if (home && (path === "~" || path.startsWith("~/"))) return home + path.slice(1);
  return path;
}

const SUPPORTED_AUTH: Record<string, AuthType> = {
  password: "password",
  v3password: "password",
  v3applicationcredential: "v3applicationcredential",
};

export interface NormalizeOptions {
  /** For `~` in file paths. */
  home?: string;
  /** How to tell the user where to fix a setting, e.g. "in /x/clouds.yaml" or "with the OS_* variables". */
  fixWhere?: string;
}

/**
 * A raw cloud entry (clouds.yaml shape, already merged with secure.yaml and defaults) as a CloudConfig.
 * Throws a ConfigError naming the cloud for anything the client cannot use.
 */
export function normalizeCloud(
  name: string,
  entry: Raw,
  source: CloudSource,
  opts: NormalizeOptions = {},
): CloudConfig {
  registerRawSecrets(entry);
  const where = opts.fixWhere ?? `in ${source.description}`;
  const fail = (problem: string, hint: string): never => {
    throw new ConfigError(`OpenStack cloud ${name} (${source.description}): ${problem}.`, hint);
  };

  const cloud = normalizeKeys(entry);
  const auth: Raw = cloud.auth && typeof cloud.auth === "object" ? { ...(cloud.auth as Raw) } : {};

  // auth_plugin is the old name; auth_type wins.
  const authTypeRaw = str(cloud.auth_type) ?? str(cloud.auth_plugin) ?? "password";
  const authType = SUPPORTED_AUTH[authTypeRaw];
  if (!authType) {
    fail(
      `auth_type ${authTypeRaw} is not supported`,
      `Use auth_type password (or v3password) or v3applicationcredential for cloud ${name} ${where}; an ` +
        "application credential (`openstack application credential create`) works for any Keystone user.",
    );
  }

  // openstacksdk _fix_backwards_auth: a value at the top level (CLI or environment) beats the one in auth;
  // of several spellings the last found wins (project_* over tenant_*).
  const backwards: Record<string, string[]> = {
    domain_id: ["domain_id"],
    domain_name: ["domain_name"],
    user_domain_id: ["user_domain_id"],
    user_domain_name: ["user_domain_name"],
    project_domain_id: ["project_domain_id"],
    project_domain_name: ["project_domain_name"],
    project_id: ["tenant_id", "project_id"],
    project_name: ["tenant_name", "project_name"],
  };
  for (const [target, keys] of Object.entries(backwards)) {
    let value: string | undefined;
    for (const key of keys) {
      value = str(auth[key]) ?? value;
      delete auth[key];
      value = str(cloud[key]) ?? value;
    }
    if (value !== undefined) auth[target] = value;
  }

  // Plugin options: the auth section wins, the top level fills in (openstacksdk _validate_auth).
  const pick = (key: string, ...aliases: string[]) => {
    for (const k of [key, ...aliases]) {
      const v = str(auth[k]);
      if (v !== undefined) return v;
    }
    for (const k of [key, ...aliases]) {
      const v = str(cloud[k]);
      if (v !== undefined) return v;
    }
    return undefined;
  };

  const projectScoped = auth.project_id !== undefined || auth.project_name !== undefined;
  // domain_* is the default for both domains of a project-scoped cloud (openstacksdk _handle_domain_id), used
  // only where that domain is given neither by id nor by name (keystoneauth's default_domain rule).
  const domainId = str(auth.domain_id);
  const domainName = str(auth.domain_name);
  const userDomainGiven = str(auth.user_domain_id) !== undefined || str(auth.user_domain_name) !== undefined;
  const projectDomainGiven = str(auth.project_domain_id) !== undefined || str(auth.project_domain_name) !== undefined;
  const userDefault = projectScoped && !userDomainGiven;
  const projectDefault = projectScoped && !projectDomainGiven;
  const settings: AuthSettings = {
    authUrl: pick("auth_url") ?? "",
    username: pick("username", "user_name"),
    userId: pick("user_id"),
    password: pick("password"),
    userDomainId: str(auth.user_domain_id) ?? (userDefault ? domainId : undefined),
    userDomainName: str(auth.user_domain_name) ?? (userDefault ? domainName : undefined),
    projectId: str(auth.project_id),
    projectName: str(auth.project_name),
    projectDomainId: str(auth.project_domain_id) ?? (projectDefault ? domainId : undefined),
    projectDomainName: str(auth.project_domain_name) ?? (projectDefault ? domainName : undefined),
    applicationCredentialId: pick("application_credential_id"),
    applicationCredentialName: pick("application_credential_name"),
    applicationCredentialSecret: pick("application_credential_secret"),
  };
  registerSecret(settings.password);
  registerSecret(settings.applicationCredentialSecret);

  const identityVersion = str(cloud.identity_api_version);
  if (identityVersion && !/^3(\.\d+)?$/.test(identityVersion)) {
    fail(
      `identity_api_version ${identityVersion} is not supported`,
      `Only Keystone v3 is supported: set identity_api_version: 3 for cloud ${name} ${where}.`,
    );
  }
  if (!settings.authUrl) {
    fail("no auth_url", `Set auth.auth_url (the Keystone URL, e.g. https://keystone.example.com:5000/v3) ${where}.`);
  }
  if (!/^https?:\/\//.test(settings.authUrl)) {
    fail(`auth_url ${settings.authUrl} is not an http(s) URL`, `Set auth.auth_url to the Keystone URL ${where}.`);
  }
  if (/\/v2\.0\/?$/.test(settings.authUrl)) {
    fail(`auth_url ${settings.authUrl} is Keystone v2`, `Use the Keystone v3 URL (…/v3) ${where}.`);
  }

  const hasUserDomain = settings.userDomainId !== undefined || settings.userDomainName !== undefined;
  if (authType === "password") {
    if (!settings.userId && !settings.username) {
      fail("no user", `Set auth.username (with auth.user_domain_name) or auth.user_id ${where}.`);
    }
    if (!settings.userId && !hasUserDomain) {
      fail(
        `user ${settings.username} has no domain`,
        `Set auth.user_domain_name (often Default), auth.user_domain_id or auth.domain_name ${where}.`,
      );
    }
    if (!settings.password) {
      fail(
        "no password",
        `Set auth.password ${where} (or in secure.yaml next to it), or OS_PASSWORD for an environment cloud.`,
      );
    }
    if (!settings.projectId && !settings.projectName) {
      fail(
        "no project (a token without a project has no service catalog)",
        `Set auth.project_name (with auth.project_domain_name) or auth.project_id ${where}.`,
      );
    }
    if (!settings.projectId && settings.projectDomainId === undefined && settings.projectDomainName === undefined) {
      fail(
        `project ${settings.projectName} has no domain`,
        `Set auth.project_domain_name (often Default), auth.project_domain_id or auth.domain_name ${where}.`,
      );
    }
  } else {
    if (!settings.applicationCredentialSecret) {
      fail("no application_credential_secret", `Set auth.application_credential_secret ${where}.`);
    }
    if (!settings.applicationCredentialId) {
      if (!settings.applicationCredentialName) {
        fail(
          "no application credential",
          `Set auth.application_credential_id, or auth.application_credential_name with the user, ${where}.`,
        );
      }
      if (!settings.userId && !settings.username) {
        fail(
          `application credential ${settings.applicationCredentialName} is named without its user`,
          `A credential given by name needs auth.username (with auth.user_domain_name) or auth.user_id ${where}; ` +
            "or give auth.application_credential_id instead.",
        );
      }
      if (!settings.userId && !hasUserDomain) {
        fail(
          `user ${settings.username} has no domain`,
          `Set auth.user_domain_name (often Default) or auth.user_domain_id ${where}.`,
        );
      }
    }
  }

  // *endpoint_type is the legacy spelling of interface; interface wins when both are given.
  const iface = normalizeInterface(
    str(cloud.interface) ?? str(cloud.endpoint_type) ?? str(cloud.os_endpoint_type) ?? "public",
  );
  if (!["public", "internal", "admin"].includes(iface)) {
    fail(`interface ${iface} is not one of public, internal, admin`, `Fix interface ${where}.`);
  }

  let regionName = str(cloud.region_name);
  if (regionName?.includes(",")) regionName = regionName.split(",")[0].trim();
  if (!regionName && Array.isArray(cloud.regions) && cloud.regions.length > 0) {
    const first = cloud.regions[0];
    regionName = typeof first === "string" ? first : str((first as Raw)?.name);
  }

  const insecure = bool(cloud.insecure) === true;
  const verify = insecure ? false : (bool(cloud.verify) ?? true);
  const tls: TlsSettings = {
    verify,
    caFile: verify ? expandHome(str(cloud.cacert), opts.home) : undefined,
    certFile: expandHome(str(cloud.cert), opts.home),
    keyFile: expandHome(str(cloud.key), opts.home),
  };
  if (tls.keyFile && !tls.certFile) {
    fail("key is set without cert", `Set cert (the client certificate) next to key ${where}, or remove key.`);
  }

  return { name, source, authType, auth: settings, regionName: regionName || undefined, interface: iface, tls };
}
