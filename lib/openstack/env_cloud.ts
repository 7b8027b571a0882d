/**
 * The cloud the OS_* variables describe, as openstacksdk builds it (`loader.py` `_get_os_environ`): every
 * `OS_X` becomes key `x` (OS_AUTH_URL → auth_url, OS_TENANT_NAME → tenant_name, OS_ENDPOINT_TYPE →
 * endpoint_type, …; normalizeCloud then reads them like a clouds.yaml entry), except variables that only
 * select or locate a cloud: when those are all there is, there is no environment cloud.
 */

/** Variables that choose a cloud rather than describe one. */
const SELECTORS = new Set([
  "OS_CLOUD",
  "OS_REGION_NAME",
  "OS_CLIENT_CONFIG_FILE",
  "OS_CLIENT_SECURE_FILE",
  "OS_CLOUD_NAME",
]);

/** Prefixes openstacksdk skips (CI and oslotest variables). */
const IGNORED = ["OS_TEST", "OS_STD", "OS_LOG"];

/** Keys that locate or name clouds and mean nothing inside one. */
const NOT_SETTINGS = new Set(["cloud", "cloud_name", "client_config_file", "client_secure_file"]);

/** The raw environment cloud (clouds.yaml entry shape), or undefined when no describing OS_* variable is set. */
export function envCloudEntry(env: Record<string, string | undefined>): Record<string, string> | undefined {
  const keys = Object.keys(env).filter((k) =>
    k.startsWith("OS_") && env[k] !== undefined && !IGNORED.some((p) => k.startsWith(p))
  );
  if (!keys.some((k) => !SELECTORS.has(k))) return undefined;
  const entry: Record<string, string> = {};
  for (const k of keys) {
    const key = k.slice(3).toLowerCase();
    if (!NOT_SETTINGS.has(key)) entry[key] = env[k] as string;
  }
  return entry;
}

/** The environment cloud's name: OS_CLOUD_NAME, else "envvars". */
export function envCloudName(env: Record<string, string | undefined>): string {
  return env.OS_CLOUD_NAME || "envvars";
}
