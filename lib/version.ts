/** The product version and the facts `version` prints. Bump VERSION on release. */
export const VERSION = "0.1.0";

export interface BuildInfo {
  version: string;
  deno: string;
  os: string;
  arch: string;
  /** The source commit when the build recorded one; absent in development. */
  commit?: string;
}

export function buildInfo(commit?: string): BuildInfo {
  const info: BuildInfo = { version: VERSION, deno: Deno.version.deno, os: Deno.build.os, arch: Deno.build.arch };
  if (commit) info.commit = commit;
  return info;
}

/** `oc-ovn-migrate 0.1.0 (deno 2.9.6, linux/x86_64)` */
export function versionLine(info: BuildInfo): string {
  const commit = info.commit ? `, commit ${info.commit}` : "";
  return `oc-ovn-migrate ${info.version} (deno ${info.deno}, ${info.os}/${info.arch}${commit})`;
}
