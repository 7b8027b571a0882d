/**
 * The permissions oc-ovn-migrate runs with, shared by `deno task ovn-migrate`, `scripts/compile.ts` and the
 * development launcher `install` writes. Each is as narrow as the product allows; where a flag is left
 * open the comment says why it cannot be narrowed.
 */
export const PERMISSION_FLAGS: readonly string[] = [
  // The API server, exec-credential and OIDC endpoints, proxies (proxy-url, HTTPS_PROXY) and, for Kuryr,
  // the OpenStack endpoints all come from the user's kubeconfig and clouds.yaml: unknown until run time.
  "--allow-net",
  // Kubeconfig files (KUBECONFIG may list any paths), certificate/key files they name, --facts, ssh keys.
  "--allow-read",
  // Backups (--backup-dir), --dump-facts, the local progress mirror and `install --dir`: user-chosen paths.
  "--allow-write",
  // KUBECONFIG, HOME, *_PROXY, NO_COLOR/FORCE_COLOR, OS_* (OpenStack); exec credential plugins also read
  // variables the kubeconfig names, so no fixed list is possible.
  "--allow-env",
  // Exec credential plugins (oc, aws, gke-gcloud-auth-plugin, kubelogin…) and `--reboot ssh` run programs
  // the user's configuration names.
  "--allow-run",
  // Narrowed to what the Node compatibility layer and the Kubernetes client ask for (host name and OS
  // facts for the user agent, the home directory for ~/.kube/config, the uid for file modes).
  "--allow-sys=hostname,osRelease,homedir,uid,gid",
];

/** `deno run …` flags for the development launcher and `deno task ovn-migrate`. */
export function permissionArgs(): string[] {
  return [...PERMISSION_FLAGS];
}
