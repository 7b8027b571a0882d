/**
 * Kubeconfig resolution the way kubectl/oc do it, in plain TypeScript (no Kubernetes client here, so
 * `--help` and `version` never pay for loading it):
 *
 * - `--kubeconfig FILE` alone (missing file = error); else every file in KUBECONFIG (split by the OS path
 *   separator, missing files skipped), merged so the first file to define a cluster/user/context name wins
 *   and `current-context` comes from the first file that sets it; else `~/.kube/config`.
 * - `--context`, then `--cluster`/`--user`, `--server`, `--certificate-authority`,
 *   `--insecure-skip-tls-verify`, `--token`, `--as`/`--as-group`, `--request-timeout` override it.
 * - Relative file paths resolve against the directory of the kubeconfig file that holds them.
 */
import { load, YAMLException } from "js-yaml";
import { ConfigError, UsageError } from "../errors.ts";
import type { ConnectionOptions } from "./connection_options.ts";
import { parseTimeout } from "../duration.ts";

/** A `users[].user.exec` credential plugin, with paths already resolved. */
export interface ExecPluginConfig {
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  apiVersion: string;
  installHint?: string;
  provideClusterInfo: boolean;
  interactiveMode: "Never" | "IfAvailable" | "Always";
  /** The user entry's name and the file it came from (for messages). */
  userName: string;
  sourceFile: string;
}

/** Everything the client needs to reach and authenticate to the API server. */
export interface ResolvedConfig {
  /** The kubeconfig files that were read, in merge order. */
  files: string[];
  contextName?: string;
  clusterName?: string;
  userName?: string;
  server: string;
  namespace: string;
  /** PEM bundle of trusted CAs; absent = the system roots. */
  caPem?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
  token?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
  username?: string;
  password?: string;
  exec?: ExecPluginConfig;
  impersonateUser?: string;
  impersonateGroups: string[];
  /** 0 = no timeout. */
  requestTimeoutMs: number;
  /** Every credential string found (token, password, key material) so the caller can register it. */
  secrets: string[];
}

/** How resolution touches the outside world; tests pass their own. */
export interface KubeconfigHost {
  env(name: string): string | undefined;
  /** Throws Deno.errors.NotFound when missing. */
  readTextFile(path: string): string;
  cwd(): string;
  os: typeof Deno.build.os;
}

export const denoHost: KubeconfigHost = {
  env: (name) => Deno.env.get(name),
  readTextFile: (path) => Deno.readTextFileSync(path),
  cwd: () => Deno.cwd(),
  os: Deno.build.os,
};

const LOGIN_HINT = "Log in with `oc login <server>` (it writes ~/.kube/config), or pass --kubeconfig FILE.";

// deno-lint-ignore no-explicit-any
type Raw = Record<string, any>;

interface NamedEntry {
  value: Raw;
  file: string;
}

interface MergedConfig {
  files: string[];
  currentContext?: string;
  clusters: Map<string, NamedEntry>;
  users: Map<string, NamedEntry>;
  contexts: Map<string, NamedEntry>;
}

const isWindows = (host: KubeconfigHost) => host.os === "windows";

function isAbsolute(path: string, host: KubeconfigHost): boolean {
  return path.startsWith("/") || (isWindows(host) && (/^[a-zA-Z]:[\\/]/.test(path) || path.startsWith("\\\\")));
}

function dirname(path: string): string {
  const i = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  return i < 0 ? "." : i === 0 ? "/" : path.slice(0, i);
}

function joinPath(dir: string, file: string, host: KubeconfigHost): string {
  if (isAbsolute(file, host)) return file;
  const sep = isWindows(host) ? "\\" : "/";
  return dir.endsWith("/") || dir.endsWith("\\") ? dir + file : dir + sep + file;
}

function expandHome(path: string, host: KubeconfigHost): string {
  if (path === "~" || path.startsWith("~/")) {
    const home = homeDir(host);
    if (home) return home + path.slice(1);
  }
  return path;
}

function homeDir(host: KubeconfigHost): string | undefined {
  return host.env("HOME") || host.env("USERPROFILE") ||
    (host.env("HOMEDRIVE") && host.env("HOMEPATH") ? `${host.env("HOMEDRIVE")}${host.env("HOMEPATH")}` : undefined);
}

/** The files kubectl would read, and whether they were named explicitly (a missing one is then an error). */
export function kubeconfigFiles(
  globals: Pick<ConnectionOptions, "kubeconfig">,
  host: KubeconfigHost = denoHost,
): { files: string[]; explicit: boolean; origin: string } {
  if (globals.kubeconfig) {
    return { files: [absolute(expandHome(globals.kubeconfig, host), host)], explicit: true, origin: "--kubeconfig" };
  }
  const env = host.env("KUBECONFIG");
  if (env) {
    const sep = isWindows(host) ? ";" : ":";
    const seen = new Set<string>();
    const files: string[] = [];
    for (const part of env.split(sep)) {
      if (!part) continue;
      const file = absolute(expandHome(part, host), host);
      if (!seen.has(file)) {
        seen.add(file);
        files.push(file);
      }
    }
    return { files, explicit: false, origin: "KUBECONFIG" };
  }
  const home = homeDir(host);
  if (!home) return { files: [], explicit: false, origin: "~/.kube/config" };
  return {
    files: [joinPath(joinPath(home, ".kube", host), "config", host)],
    explicit: false,
    origin: "~/.kube/config",
  };
}

function absolute(path: string, host: KubeconfigHost): string {
  return isAbsolute(path, host) ? path : joinPath(host.cwd(), path, host);
}

function readKubeconfig(file: string, host: KubeconfigHost, explicit: boolean): Raw | undefined {
  let text: string;
  try {
    text = host.readTextFile(file);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) {
      if (!explicit) return undefined;
      throw new ConfigError(
        `Kubeconfig file ${file} does not exist.`,
        `Check the path given to --kubeconfig. ${LOGIN_HINT}`,
      );
    }
    const why = err instanceof Error ? err.message : String(err);
    throw new ConfigError(`Cannot read kubeconfig file ${file}: ${why}`, "Check the file's permissions.");
  }
  let doc: unknown;
  try {
    doc = load(text);
  } catch (err) {
    const why = err instanceof YAMLException
      ? `${err.reason}${err.mark ? ` at line ${err.mark.line + 1}, column ${err.mark.column + 1}` : ""}`
      : String(err);
    throw new ConfigError(
      `Kubeconfig file ${file} is not valid YAML: ${why}.`,
      `Fix the file, or point --kubeconfig/KUBECONFIG at a valid one. ${LOGIN_HINT}`,
    );
  }
  if (doc === undefined || doc === null) return {};
  if (typeof doc !== "object" || Array.isArray(doc)) {
    throw malformed(file, "the top level must be a mapping (apiVersion, kind, clusters, users, contexts)");
  }
  return doc as Raw;
}

function malformed(file: string, problem: string): ConfigError {
  return new ConfigError(
    `Kubeconfig file ${file} is malformed: ${problem}.`,
    `Fix the file, or point --kubeconfig/KUBECONFIG at a valid one. ${LOGIN_HINT}`,
  );
}

function addEntries(
  target: Map<string, NamedEntry>,
  list: unknown,
  field: "clusters" | "users" | "contexts",
  key: "cluster" | "user" | "context",
  file: string,
) {
  if (list === undefined || list === null) return;
  if (!Array.isArray(list)) throw malformed(file, `"${field}" must be a list`);
  for (const [i, item] of list.entries()) {
    if (!item || typeof item !== "object" || typeof item.name !== "string" || !item.name) {
      throw malformed(file, `${field}[${i}] has no name`);
    }
    const value = item[key] ?? {};
    if (typeof value !== "object" || Array.isArray(value)) {
      throw malformed(file, `${field}[${i}] ("${item.name}") must have a "${key}" mapping`);
    }
    // kubectl: the first file to define a name wins.
    if (!target.has(item.name)) target.set(item.name, { value, file });
  }
}

/** Reads and merges the kubeconfig files in kubectl's order. */
export function loadMergedKubeconfig(globals: Pick<ConnectionOptions, "kubeconfig">, host: KubeconfigHost = denoHost) {
  const { files, explicit, origin } = kubeconfigFiles(globals, host);
  const merged: MergedConfig = { files: [], clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) {
    const doc = readKubeconfig(file, host, explicit);
    if (!doc) continue;
    merged.files.push(file);
    addEntries(merged.clusters, doc.clusters, "clusters", "cluster", file);
    addEntries(merged.users, doc.users, "users", "user", file);
    addEntries(merged.contexts, doc.contexts, "contexts", "context", file);
    const current = doc["current-context"];
    if (merged.currentContext === undefined && typeof current === "string" && current) {
      merged.currentContext = current;
    }
  }
  return { merged, searched: files, origin };
}

function decodeBase64(data: string, what: string, where: string): string {
  try {
    const bin = atob(data.replace(/\s+/g, ""));
    return new TextDecoder().decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
  } catch {
    throw new ConfigError(`${what} in ${where} is not valid base64.`, `Fix the kubeconfig. ${LOGIN_HINT}`);
  }
}

function readReferencedFile(path: string, what: string, where: string, host: KubeconfigHost): string {
  try {
    return host.readTextFile(path);
  } catch (err) {
    const why = err instanceof Deno.errors.NotFound
      ? "file not found"
      : err instanceof Error
      ? err.message
      : String(err);
    throw new ConfigError(
      `Cannot read ${what} ${path} (${where}): ${why}.`,
      `Fix the path in the kubeconfig. ${LOGIN_HINT}`,
    );
  }
}

const filesText = (files: string[]) => files.length ? files.join(", ") : "(no kubeconfig file)";

/** The configuration for one request target, resolved like kubectl. */
export function resolveKubeconfig(globals: ConnectionOptions, host: KubeconfigHost = denoHost): ResolvedConfig {
  const { merged, searched, origin } = loadMergedKubeconfig(globals, host);
  const where = filesText(merged.files);
  const secrets: string[] = [];

  if (merged.files.length === 0 && !globals.server) {
    const tried = searched.length ? searched.join(", ") : "~/.kube/config (HOME is not set)";
    throw new ConfigError(`No kubeconfig found (${origin}: ${tried} does not exist).`, LOGIN_HINT);
  }

  const contextName = globals.context || merged.currentContext;
  let context: Raw = {};
  if (contextName) {
    const entry = merged.contexts.get(contextName);
    if (!entry) {
      const known = [...merged.contexts.keys()];
      throw new ConfigError(
        `Context "${contextName}" is not defined in ${where}.`,
        known.length
          ? `Pick one with --context (defined: ${known.join(", ")}), or run \`oc login <server>\`.`
          : LOGIN_HINT,
      );
    }
    context = entry.value;
  } else if (!globals.server) {
    const known = [...merged.contexts.keys()];
    throw new ConfigError(
      `No current context is set in ${where}.`,
      known.length ? `Pass --context NAME (defined: ${known.join(", ")}), or run \`oc login <server>\`.` : LOGIN_HINT,
    );
  }

  const clusterName = globals.cluster || str(context.cluster);
  let cluster: Raw = {};
  let clusterFile = host.cwd();
  if (clusterName) {
    const entry = merged.clusters.get(clusterName);
    if (!entry) {
      throw new ConfigError(
        `Cluster "${clusterName}"${
          contextName ? ` (used by context "${contextName}")` : ""
        } is not defined in ${where}.`,
        `Fix the context or pass --cluster with a defined cluster, or run \`oc login <server>\`.`,
      );
    }
    cluster = entry.value;
    clusterFile = entry.file;
  }

  const userName = globals.user || str(context.user);
  let user: Raw = {};
  let userFile = host.cwd();
  if (userName) {
    const entry = merged.users.get(userName);
    if (!entry) {
      throw new ConfigError(
        `User "${userName}"${contextName ? ` (used by context "${contextName}")` : ""} is not defined in ${where}.`,
        `Fix the context or pass --user with a defined user, or log in again with \`oc login <server>\`.`,
      );
    }
    user = entry.value;
    userFile = entry.file;
  }
  const clusterWhere = `cluster "${clusterName}" in ${clusterFile}`;
  const userWhere = `user "${userName}" in ${userFile}`;
  const clusterDir = merged.clusters.has(clusterName ?? "") ? dirname(clusterFile) : host.cwd();
  const userDir = merged.users.has(userName ?? "") ? dirname(userFile) : host.cwd();

  const server = globals.server || str(cluster.server);
  if (!server) {
    throw new ConfigError(
      clusterName ? `Cluster "${clusterName}" in ${clusterFile} has no server.` : `No server is configured.`,
      `Pass --server URL, or run \`oc login <server>\`.`,
    );
  }
  let serverUrl: URL;
  try {
    serverUrl = new URL(/^[a-z]+:\/\//i.test(server) ? server : `https://${server}`);
  } catch {
    throw new ConfigError(`The server "${server}" is not a valid URL.`, "Use https://host:port.");
  }
  if (serverUrl.protocol !== "https:" && serverUrl.protocol !== "http:") {
    throw new ConfigError(`The server "${server}" must be an https:// URL.`, "Use https://host:port.");
  }

  // TLS: a --insecure-skip-tls-verify flag drops the CA (kubectl does the same); a --certificate-authority
  // flag replaces the kubeconfig's CA and turns its insecure setting off.
  let caPem: string | undefined;
  let insecure = cluster["insecure-skip-tls-verify"] === true;
  if (globals.certificateAuthority) {
    const path = absolute(expandHome(globals.certificateAuthority, host), host);
    caPem = readReferencedFile(path, "certificate-authority file", "--certificate-authority", host);
    insecure = false;
  } else if (str(cluster["certificate-authority"])) {
    const path = joinPath(clusterDir, expandHome(str(cluster["certificate-authority"])!, host), host);
    caPem = readReferencedFile(path, "certificate-authority file", clusterWhere, host);
  } else if (str(cluster["certificate-authority-data"])) {
    caPem = decodeBase64(str(cluster["certificate-authority-data"])!, "certificate-authority-data", clusterWhere);
  }
  if (globals.insecureSkipTlsVerify) {
    insecure = true;
    caPem = undefined;
  }

  // Credentials.
  let token: string | undefined;
  let clientCertPem: string | undefined;
  let clientKeyPem: string | undefined;
  let exec: ExecPluginConfig | undefined;
  if (str(user["client-certificate"])) {
    const path = joinPath(userDir, expandHome(str(user["client-certificate"])!, host), host);
    clientCertPem = readReferencedFile(path, "client-certificate file", userWhere, host);
  } else if (str(user["client-certificate-data"])) {
    clientCertPem = decodeBase64(str(user["client-certificate-data"])!, "client-certificate-data", userWhere);
  }
  if (str(user["client-key"])) {
    const path = joinPath(userDir, expandHome(str(user["client-key"])!, host), host);
    clientKeyPem = readReferencedFile(path, "client-key file", userWhere, host);
  } else if (str(user["client-key-data"])) {
    secrets.push(str(user["client-key-data"])!);
    clientKeyPem = decodeBase64(str(user["client-key-data"])!, "client-key-data", userWhere);
  }
  if (clientKeyPem) secrets.push(...keySecrets(clientKeyPem));
  if (Boolean(clientCertPem) !== Boolean(clientKeyPem)) {
    throw new ConfigError(
      `User "${userName}" in ${userFile} has a client ${
        clientCertPem ? "certificate but no key" : "key but no certificate"
      }.`,
      `Fix the kubeconfig. ${LOGIN_HINT}`,
    );
  }
  if (globals.token) {
    token = globals.token;
  } else if (str(user.token)) {
    token = str(user.token);
  } else if (str(user.tokenFile)) {
    const path = joinPath(userDir, expandHome(str(user.tokenFile)!, host), host);
    token = readReferencedFile(path, "tokenFile", userWhere, host).trim();
  } else if (user.exec && typeof user.exec === "object") {
    exec = execConfig(user.exec, userDir, userName ?? "", userFile, host);
  } else if (user["auth-provider"] && !clientCertPem) {
    const name = str(user["auth-provider"]?.name) ?? "unknown";
    throw new ConfigError(
      `User "${userName}" in ${userFile} uses the "${name}" auth-provider, which oc-ovn-migrate does not support.`,
      `Use a token (\`oc login <server>\`) or an exec credential plugin instead.`,
    );
  }
  if (token) secrets.push(token);
  const proxyUrl = str(cluster["proxy-url"]);
  if (proxyUrl) {
    try {
      const password = decodeURIComponent(new URL(proxyUrl).password);
      if (password) secrets.push(password);
    } catch {
      throw new ConfigError(
        `The proxy-url "${proxyUrl}" of ${clusterWhere} is not a valid URL.`,
        "Fix the kubeconfig.",
      );
    }
  }
  const username = globals.token ? undefined : str(user.username);
  const password = globals.token ? undefined : str(user.password);
  if (password) secrets.push(password);

  const asGroups = Array.isArray(user["as-groups"])
    ? user["as-groups"].filter((g: unknown) => typeof g === "string")
    : [];
  const impersonateGroups = globals.asGroup?.length ? globals.asGroup : asGroups;
  const impersonateUser = globals.as || str(user.as);

  return {
    files: merged.files,
    contextName,
    clusterName,
    userName,
    // Keep the server as written (URL would drop a default port such as :443).
    server: (/^[a-z]+:\/\//i.test(server) ? server : `https://${server}`).replace(/\/+$/, ""),
    namespace: str(context.namespace) || "default",
    caPem,
    insecureSkipTlsVerify: insecure,
    tlsServerName: str(cluster["tls-server-name"]),
    proxyUrl,
    token,
    clientCertPem,
    clientKeyPem,
    username,
    password,
    exec,
    impersonateUser,
    impersonateGroups,
    requestTimeoutMs: globals.requestTimeout ? requestTimeoutMs(globals.requestTimeout) : 0,
    secrets,
  };
}

/** `--request-timeout` in milliseconds; bad syntax is a usage error naming the flag. */
function requestTimeoutMs(text: string): number {
  try {
    return Math.round(parseTimeout(text));
  } catch {
    throw new UsageError(
      `Invalid --request-timeout value "${text}".`,
      `Use a duration such as 30s, 1m or 2m30s ("0" means no timeout).`,
    );
  }
}

function str(value: unknown): string | undefined {
  return typeof value === "string" && value ? value : undefined;
}

/** A private key, and each of its base64 lines, so a partial dump is masked too. */
export function keySecrets(pem: string): string[] {
  return [pem, ...pem.split(/\r?\n/).filter((line) => line.length >= 16 && !line.startsWith("-----"))];
}

function execConfig(raw: Raw, dir: string, userName: string, file: string, host: KubeconfigHost): ExecPluginConfig {
  const command = str(raw.command);
  if (!command) throw malformed(file, `user "${userName}" has an exec plugin without a command`);
  // client-go resolves a relative command that contains a path separator against the kubeconfig's folder.
  const resolved = !isAbsolute(command, host) && /[\\/]/.test(command) ? joinPath(dir, command, host) : command;
  const env = Array.isArray(raw.env)
    ? raw.env.filter((e: Raw) => e && typeof e.name === "string").map((e: Raw) => ({
      name: e.name as string,
      value: String(e.value ?? ""),
    }))
    : [];
  const mode = raw.interactiveMode;
  return {
    command: resolved,
    args: Array.isArray(raw.args) ? raw.args.map(String) : [],
    env,
    apiVersion: str(raw.apiVersion) ?? "client.authentication.k8s.io/v1",
    installHint: str(raw.installHint),
    provideClusterInfo: raw.provideClusterInfo === true,
    interactiveMode: mode === "Never" || mode === "Always" ? mode : "IfAvailable",
    userName,
    sourceFile: file,
  };
}
