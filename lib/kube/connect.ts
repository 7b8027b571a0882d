/**
 * From global flags to a `Kube`: resolve the kubeconfig like kubectl, register every credential for
 * redaction, then load the Kubernetes client (a dynamic import: it costs ~0.7 s, so commands that never
 * touch the cluster never load it). Whether the cluster is OpenShift is preflight's question
 * (`apiGroups()` + errors.ts `missingOpenShiftGroups`).
 */
import type { Logger } from "../log.ts";
import type { ConnectionOptions } from "./connection_options.ts";
import { redact, registerSecret } from "../redact.ts";
import { credentialSource, type ExecRunOptions } from "./credentials.ts";
import { denoHost, type KubeconfigHost, resolveKubeconfig } from "./kubeconfig.ts";
import type { RetryPolicy } from "./retry.ts";
import type { Kube } from "./types.ts";

export interface ConnectOptions {
  host?: KubeconfigHost;
  exec?: ExecRunOptions;
  retry?: RetryPolicy;
}

export async function connect(globals: ConnectionOptions, log: Logger, opts: ConnectOptions = {}): Promise<Kube> {
  if (globals.token) registerSecret(globals.token);
  const config = resolveKubeconfig(globals, opts.host ?? denoHost);
  config.secrets.forEach(registerSecret);
  if (config.username && config.password) {
    const basic = new TextEncoder().encode(`${config.username}:${config.password}`);
    registerSecret(btoa(String.fromCharCode(...basic)));
  }
  const safeLog: Logger = { debug: (level, message) => log.debug(level, redact(message)) };
  safeLog.debug(
    1,
    `using ${config.contextName ? `context "${config.contextName}"` : "no context"}, server ${config.server}` +
      (config.files.length ? ` (kubeconfig: ${config.files.join(", ")})` : ""),
  );
  safeLog.debug(
    4,
    `auth: ${
      config.exec
        ? `exec plugin ${config.exec.command}`
        : config.token
        ? "bearer token"
        : config.clientCertPem
        ? "client certificate"
        : "none"
    }` +
      `${config.insecureSkipTlsVerify ? ", TLS verification disabled" : config.caPem ? ", custom CA" : ""}` +
      `${config.proxyUrl ? `, proxy ${config.proxyUrl}` : ""}` +
      `${config.impersonateUser ? `, as ${config.impersonateUser}` : ""}`,
  );
  const credentials = credentialSource(config, safeLog, opts.exec);
  const { createKube } = await import("./client.ts");
  return createKube({ config, credentials, log: safeLog, retry: opts.retry });
}
