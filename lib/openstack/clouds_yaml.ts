/**
 * Finding the user's cloud the way openstacksdk does (`openstack/config/loader.py`, 4.x):
 *
 * - clouds file: `$OS_CLIENT_CONFIG_FILE`, then `clouds.yaml`, `clouds.yml`, `clouds.json` in the current
 *   directory, the user config directory (`$XDG_CONFIG_HOME/openstack`, macOS `~/Library/Application
 *   Support/openstack`), `~/.config/openstack`, the site config directory (`/etc/xdg/openstack`) and
 *   `/etc/openstack`. The first file that exists and can be read and parsed wins (unreadable or malformed
 *   ones are skipped with a warning, as openstacksdk does).
 * - secure file: `$OS_CLIENT_SECURE_FILE`, then `secure.yaml|yml|json` in the same directories, found
 *   independently of the clouds file, deep-merged over it.
 * - the OS_* variables form one more cloud, `envvars` (or `$OS_CLOUD_NAME`), next to the file's clouds when
 *   at least one variable other than the selectors (OS_CLOUD, OS_REGION_NAME, OS_CLIENT_*_FILE,
 *   OS_CLOUD_NAME) is set.
 * - the cloud: the explicit name (`--os-cloud`), else `$OS_CLOUD`, else the environment cloud when there is
 *   one, else the only cloud there is. Anything else is an error naming what was searched.
 *
 * Like `openstack.connect()` (not the `openstack` CLI, whose flags default to the OS_* variables), the
 * variables do not override a cloud chosen from the file. Environment, home and working directory come in
 * as parameters.
 */
import { load } from "js-yaml";
import { ConfigError } from "../errors.ts";
import { type CloudConfig, mergeDeep, normalizeCloud, registerRawSecrets } from "./cloud_config.ts";
import { envCloudEntry, envCloudName } from "./env_cloud.ts";

export interface DiscoveryOptions {
  /** The environment (e.g. `Deno.env.toObject()`); every OS_* variable is read from here. */
  env: Record<string, string | undefined>;
  /** The home directory (absent: `~` paths are not searched). */
  home?: string;
  /** The working directory. */
  cwd: string;
  /** The cloud asked for by name (`--os-cloud`); wins over OS_CLOUD. */
  cloudName?: string;
  /** The platform, for the user/site config directories (default: Deno.build.os). */
  os?: string;
  /**
   * The system-wide directories, searched last (default: the site config directory and /etc/openstack);
   * tests pass their own so a machine's /etc/openstack cannot change their outcome.
   */
  systemDirs?: string[];
}

/** The chosen cloud and how it was found. */
export interface DiscoveredCloud {
  cloud: CloudConfig;
  /** The clouds file read, if any. */
  configFile?: string;
  /** The secure file merged in, if any. */
  secureFile?: string;
  /** How the cloud was chosen. */
  chosenBy: "--os-cloud" | "OS_CLOUD" | "environment" | "only cloud";
  /** Files skipped (unreadable, malformed) and settings ignored, for the user to see. */
  warnings: string[];
}

const SUFFIXES = [".yaml", ".yml", ".json"];

const join = (dir: string, file: string) => dir.endsWith("/") ? dir + file : `${dir}/${file}`;

/** The directories searched, in order, without duplicates. */
export function searchDirs(opts: Pick<DiscoveryOptions, "env" | "home" | "cwd" | "os" | "systemDirs">): string[] {
  const os = opts.os ?? Deno.build.os;
  const home = opts.home;
  const dirs: (string | undefined)[] = [opts.cwd];
  if (os === "darwin") {
    dirs.push(home && `${home}/Library/Application Support/openstack`);
  } else {
    const xdgConfig = opts.env.XDG_CONFIG_HOME || (home && `${home}/.config`);
    dirs.push(xdgConfig && `${xdgConfig}/openstack`);
  }
  dirs.push(home && `${home}/.config/openstack`);
  if (opts.systemDirs) {
    dirs.push(...opts.systemDirs);
  } else {
    // platformdirs' site_config_dir: the first of XDG_CONFIG_DIRS (default /etc/xdg); macOS its own.
    const site = os === "darwin"
      ? "/Library/Application Support/openstack"
      : `${(opts.env.XDG_CONFIG_DIRS || "/etc/xdg").split(":")[0]}/openstack`;
    dirs.push(site, "/etc/openstack");
  }
  const seen = new Set<string>();
  return dirs.filter((d): d is string => !!d && !seen.has(d) && (seen.add(d), true));
}

function candidates(base: string, override: string | undefined, dirs: string[]): string[] {
  const files = dirs.flatMap((d) => SUFFIXES.map((s) => join(d, base + s)));
  return override ? [override, ...files] : files;
}

type Raw = Record<string, unknown>;

/** The first file of `paths` that exists and parses; unreadable and malformed ones become warnings. */
function firstFile(paths: string[], warnings: string[]): { path: string; doc: Raw } | undefined {
  for (const path of paths) {
    let text: string;
    try {
      text = Deno.readTextFileSync(path);
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) continue;
      warnings.push(`skipped ${path}: ${err instanceof Deno.errors.PermissionDenied ? "not readable" : String(err)}`);
      continue;
    }
    let doc: unknown;
    try {
      doc = path.endsWith(".json") ? JSON.parse(text) : load(text);
    } catch (err) {
      warnings.push(`skipped ${path}: not valid ${path.endsWith(".json") ? "JSON" : "YAML"} (${firstLine(err)})`);
      continue;
    }
    if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
      // openstacksdk refuses such a file outright rather than moving on.
      throw new ConfigError(
        `${path} is empty or not a mapping.`,
        "A clouds.yaml has the form `clouds: {<name>: {auth: {...}, region_name: ...}}`.",
      );
    }
    registerRawSecrets(doc as Raw);
    if (!("clouds" in doc)) warnings.push(`${path} has no clouds key`);
    return { path, doc: doc as Raw };
  }
  return undefined;
}

const firstLine = (err: unknown) => (err instanceof Error ? err.message : String(err)).split("\n")[0];

function cloudsOf(doc: Raw | undefined): Record<string, Raw> {
  const clouds = doc?.clouds;
  if (!clouds || typeof clouds !== "object" || Array.isArray(clouds)) return {};
  const out: Record<string, Raw> = {};
  for (const [name, entry] of Object.entries(clouds)) {
    if (entry && typeof entry === "object" && !Array.isArray(entry)) out[name] = entry as Raw;
  }
  return out;
}

const ENV_FIX = "(environment cloud: each auth.x or x is the variable OS_X, e.g. auth.user_domain_name is " +
  "OS_USER_DOMAIN_NAME)";

/** Finds, merges and chooses the cloud; throws a ConfigError that names what was searched when it cannot. */
export function discoverCloud(opts: DiscoveryOptions): DiscoveredCloud {
  const env = opts.env;
  const warnings: string[] = [];
  const dirs = searchDirs(opts);
  const configPaths = candidates("clouds", env.OS_CLIENT_CONFIG_FILE || undefined, dirs);
  const securePaths = candidates("secure", env.OS_CLIENT_SECURE_FILE || undefined, dirs);
  const config = firstFile(configPaths, warnings);
  const secure = firstFile(securePaths, warnings);

  const fileClouds = cloudsOf(config?.doc);
  const secureClouds = cloudsOf(secure?.doc);
  const clouds: Record<string, Raw> = {};
  for (const [name, entry] of Object.entries(fileClouds)) {
    clouds[name] = secureClouds[name] ? mergeDeep(entry, secureClouds[name]) : entry;
  }
  // secure.yaml may hold a cloud the clouds file lacks (openstacksdk merges the whole documents).
  for (const [name, entry] of Object.entries(secureClouds)) clouds[name] ??= entry;

  const envName = envCloudName(env);
  const envEntry = envCloudEntry(env);
  if (envEntry && clouds[envName]) {
    throw new ConfigError(
      `${
        config?.path ?? secure?.path
      } defines a cloud named ${envName}, the name of the cloud the OS_* variables form.`,
      `Rename that cloud, or set OS_CLOUD_NAME to another name for the environment cloud.`,
    );
  }

  let wanted: string | undefined;
  let chosenBy: DiscoveredCloud["chosenBy"];
  if (opts.cloudName) {
    wanted = opts.cloudName;
    chosenBy = "--os-cloud";
  } else if (env.OS_CLOUD) {
    wanted = env.OS_CLOUD;
    chosenBy = "OS_CLOUD";
  } else if (envEntry) {
    wanted = envName;
    chosenBy = "environment";
  } else {
    chosenBy = "only cloud";
  }

  const fileNames = Object.keys(clouds);
  const fileLabel = config?.path ?? secure?.path;
  const searched = () => `searched: ${configPaths.join(", ")}`;
  const skipped = () => (warnings.length ? ` (${warnings.join("; ")})` : "");

  if (wanted === undefined) {
    if (fileNames.length === 1) wanted = fileNames[0];
    else if (fileNames.length === 0) {
      throw new ConfigError(
        `No OpenStack cloud is configured: ${
          fileLabel ? `${fileLabel} has no clouds` : "no clouds.yaml was found"
        } and no OS_* variables are set (${searched()})${skipped()}.`,
        "Put a clouds.yaml in ~/.config/openstack/ (Horizon: API Access → Download OpenStack RC File → clouds.yaml) " +
          "or point OS_CLIENT_CONFIG_FILE at one, or source an openrc file (OS_AUTH_URL, OS_USERNAME …).",
      );
    } else {
      throw new ConfigError(
        `${fileLabel} has several clouds (${fileNames.join(", ")}) and none is chosen.`,
        "Pass --os-cloud NAME or set OS_CLOUD to one of them.",
      );
    }
  }

  if (wanted === envName && envEntry) {
    const cloud = normalizeCloud(envName, envEntry, { description: "the OS_* environment variables" }, {
      home: opts.home,
      fixWhere: ENV_FIX,
    });
    return { cloud, chosenBy, warnings };
  }

  const entry = clouds[wanted];
  if (!entry) {
    const how = chosenBy === "OS_CLOUD" ? ` (OS_CLOUD=${wanted})` : "";
    if (fileLabel) {
      throw new ConfigError(
        `No cloud named ${wanted}${how} in ${fileLabel} (clouds: ${fileNames.join(", ") || "none"}); ` +
          `pass --os-cloud or set OS_CLOUD${fileNames.length ? " to one of them" : ""}.`,
        `Or add cloud ${wanted} to ${fileLabel}.`,
      );
    }
    throw new ConfigError(
      `No cloud named ${wanted}${how}: no clouds.yaml was found (${searched()})${skipped()}.`,
      "Create clouds.yaml with that cloud (or point OS_CLIENT_CONFIG_FILE at it); pass --os-cloud or set OS_CLOUD.",
    );
  }
  for (const key of ["profile", "cloud"]) {
    if (typeof entry[key] === "string") {
      warnings.push(
        `cloud ${wanted}: the vendor profile ${entry[key]} (${key}) is not applied; give auth_url and ` +
          "region_name in the cloud itself",
      );
    }
  }
  const secureHas = secure && secureClouds[wanted] ? secure.path : undefined;
  const cloud = normalizeCloud(
    wanted,
    entry,
    { description: fileLabel as string, secureFile: secureHas },
    { home: opts.home, fixWhere: `for cloud ${wanted} in ${fileLabel}${secureHas ? ` or ${secureHas}` : ""}` },
  );
  return { cloud, configFile: config?.path, secureFile: secureHas, chosenBy, warnings };
}
