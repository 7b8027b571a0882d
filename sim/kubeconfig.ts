/**
 * The kubeconfig the simulator writes for its users: one cluster "sim", one context per user (named after
 * the user with ":" replaced by "-", as kubectl context names cannot hold a colon comfortably).
 */
import { dump } from "js-yaml";

export interface KubeconfigUser {
  name: string;
  token?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
}

/** The context name of a user: "kube:admin" → "kube-admin". */
export const contextName = (user: string) => user.replace(/:/g, "-");

export const SIM_CLUSTER = "sim";

function base64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(bin);
}

/**
 * A kubeconfig (YAML). The current context is `currentUser`'s, else the first token user's (kube:admin),
 * else the first user's.
 */
export function simKubeconfig(opts: {
  url: string;
  caPem: string;
  users: KubeconfigUser[];
  currentUser?: string;
}): string {
  const users = opts.users.filter((u) => u.token || (u.clientCertPem && u.clientKeyPem));
  if (users.length === 0) throw new Error("simKubeconfig: no user has a token or a client certificate");
  const current = opts.currentUser !== undefined
    ? users.find((u) => u.name === opts.currentUser)
    : users.find((u) => u.token) ?? users[0];
  if (!current) throw new Error(`simKubeconfig: no credentials for user ${opts.currentUser}`);
  const config = {
    apiVersion: "v1",
    kind: "Config",
    preferences: {},
    clusters: [{ name: SIM_CLUSTER, cluster: { server: opts.url, "certificate-authority-data": base64(opts.caPem) } }],
    users: users.map((u) => ({
      name: u.name,
      user: u.token ? { token: u.token } : {
        "client-certificate-data": base64(u.clientCertPem!),
        "client-key-data": base64(u.clientKeyPem!),
      },
    })),
    contexts: users.map((u) => ({
      name: contextName(u.name),
      context: { cluster: SIM_CLUSTER, user: u.name, namespace: "default" },
    })),
    "current-context": contextName(current.name),
  };
  return dump(config, { lineWidth: -1, noRefs: true });
}
