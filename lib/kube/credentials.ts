/**
 * Where the client gets its credentials for each request: fixed ones from the kubeconfig, or an exec
 * credential plugin (client.authentication.k8s.io ExecCredential) run on demand and cached until it
 * expires. Plain TypeScript: no Kubernetes client.
 */
import { ConfigError } from "../errors.ts";
import { redact, registerSecret } from "../redact.ts";
import type { Logger } from "../log.ts";
import { type ExecPluginConfig, keySecrets, type ResolvedConfig } from "./kubeconfig.ts";

export interface Credentials {
  token?: string;
  clientCertPem?: string;
  clientKeyPem?: string;
}

export interface CredentialSource {
  /** The credentials to use now (runs or re-runs an exec plugin when needed). */
  current(): Promise<Credentials>;
  /** The server rejected them (401): forget cached plugin output so the next call runs it again. */
  invalidate(): void;
  /** True when invalidate() can produce different credentials (an exec plugin). */
  readonly refreshable: boolean;
}

export function credentialSource(config: ResolvedConfig, log?: Logger, opts: ExecRunOptions = {}): CredentialSource {
  const fixed: Credentials = {
    token: config.token,
    clientCertPem: config.clientCertPem,
    clientKeyPem: config.clientKeyPem,
  };
  if (!config.exec) {
    return { current: () => Promise.resolve(fixed), invalidate() {}, refreshable: false };
  }
  return new ExecCredentialSource(config.exec, config, fixed, log, opts);
}

export interface ExecRunOptions {
  /** Whether stdin is a terminal the plugin may prompt on (default: Deno.stdin.isTerminal()). */
  interactive?: boolean;
  /** Clock for expiry (tests). */
  now?: () => number;
}

/** Runs the plugin like client-go: KUBERNETES_EXEC_INFO in the environment, ExecCredential on stdout. */
export class ExecCredentialSource implements CredentialSource {
  readonly refreshable = true;
  private cached?: { creds: Credentials; expiresAt?: number };
  private running?: Promise<Credentials>;

  constructor(
    private readonly plugin: ExecPluginConfig,
    private readonly config: Pick<ResolvedConfig, "server" | "caPem" | "insecureSkipTlsVerify" | "tlsServerName">,
    private readonly fallback: Credentials,
    private readonly log?: Logger,
    private readonly opts: ExecRunOptions = {},
  ) {}

  current(): Promise<Credentials> {
    const now = this.opts.now?.() ?? Date.now();
    // Refresh a little before expiry so a request does not race the deadline.
    if (this.cached && (this.cached.expiresAt === undefined || this.cached.expiresAt - 10_000 > now)) {
      return Promise.resolve(this.cached.creds);
    }
    this.running ??= this.run().finally(() => this.running = undefined);
    return this.running;
  }

  invalidate(): void {
    this.cached = undefined;
  }

  /** How the command is named in messages. */
  private get label(): string {
    return `"${[this.plugin.command, ...this.plugin.args].join(" ")}"`;
  }

  private async run(): Promise<Credentials> {
    const interactive = this.plugin.interactiveMode !== "Never" &&
      (this.opts.interactive ?? Deno.stdin.isTerminal());
    if (this.plugin.interactiveMode === "Always" && !interactive) {
      throw new ConfigError(
        `The credential plugin ${this.label} (user "${this.plugin.userName}" in ${this.plugin.sourceFile}) needs a terminal.`,
        "Run from a terminal, or log in with `oc login <server>` to get a token.",
      );
    }
    const spec: Record<string, unknown> = { interactive };
    if (this.plugin.provideClusterInfo) {
      spec.cluster = {
        server: this.config.server,
        "tls-server-name": this.config.tlsServerName,
        "insecure-skip-tls-verify": this.config.insecureSkipTlsVerify,
        "certificate-authority-data": this.config.caPem ? btoa(this.config.caPem) : undefined,
      };
    }
    const info = JSON.stringify({ apiVersion: this.plugin.apiVersion, kind: "ExecCredential", spec });
    const env: Record<string, string> = { KUBERNETES_EXEC_INFO: info };
    for (const e of this.plugin.env) env[e.name] = e.value;
    this.log?.debug(4, `running credential plugin ${this.label}`);

    let output: Deno.CommandOutput;
    try {
      output = await new Deno.Command(this.plugin.command, {
        args: this.plugin.args,
        env,
        stdin: interactive ? "inherit" : "null",
        stdout: "piped",
        // An interactive plugin prompts on stderr: let the user see it (kubectl does the same).
        stderr: interactive ? "inherit" : "piped",
      }).output();
    } catch (err) {
      if (err instanceof Deno.errors.NotFound) {
        throw new ConfigError(
          `The credential plugin ${this.label} (user "${this.plugin.userName}" in ${this.plugin.sourceFile}) was not found.`,
          this.plugin.installHint ?? "Install it, fix users[].user.exec.command in the kubeconfig, or run `oc login`.",
        );
      }
      throw new ConfigError(
        `The credential plugin ${this.label} could not be started: ${err instanceof Error ? err.message : err}.`,
        "Check the command in users[].user.exec of the kubeconfig.",
      );
    }
    const stdout = new TextDecoder().decode(output.stdout);
    const stderr = interactive ? "" : new TextDecoder().decode(output.stderr).trim();
    if (!output.success) {
      const last = stderr.split("\n").slice(-3).join(" ").trim();
      throw new ConfigError(
        `The credential plugin ${this.label} failed (exit code ${output.code})${last ? `: ${redact(last)}` : "."}`,
        "Run the command yourself to see why, or log in again with `oc login <server>`.",
      );
    }
    const creds = this.parse(stdout);
    this.log?.debug(
      4,
      `credential plugin ${this.label} returned ${creds.creds.token ? "a token" : "a certificate"}` +
        (creds.expiresAt ? `, valid until ${new Date(creds.expiresAt).toISOString()}` : ""),
    );
    this.cached = creds;
    return creds.creds;
  }

  private parse(stdout: string): { creds: Credentials; expiresAt?: number } {
    let doc: { kind?: string; status?: Record<string, unknown> };
    try {
      doc = JSON.parse(stdout);
    } catch {
      throw this.badOutput("its output is not JSON");
    }
    if (!doc || typeof doc !== "object" || (doc.kind && doc.kind !== "ExecCredential")) {
      throw this.badOutput("its output is not an ExecCredential");
    }
    const status = doc.status ?? {};
    const token = typeof status.token === "string" && status.token ? status.token : undefined;
    const cert = typeof status.clientCertificateData === "string" ? status.clientCertificateData : undefined;
    const key = typeof status.clientKeyData === "string" ? status.clientKeyData : undefined;
    if (token) registerSecret(token);
    if (key) keySecrets(key).forEach(registerSecret);
    if (!token && !(cert && key)) {
      throw this.badOutput("it returned neither status.token nor status.clientCertificateData/clientKeyData");
    }
    if (Boolean(cert) !== Boolean(key)) {
      throw this.badOutput("it returned a client certificate without a key, or a key without a certificate");
    }
    let expiresAt: number | undefined;
    if (typeof status.expirationTimestamp === "string") {
      const t = Date.parse(status.expirationTimestamp);
      if (!Number.isNaN(t)) expiresAt = t;
    }
    const creds: Credentials = token
      ? { token, clientCertPem: this.fallback.clientCertPem, clientKeyPem: this.fallback.clientKeyPem }
      : { clientCertPem: cert, clientKeyPem: key };
    if (token && cert && key) Object.assign(creds, { clientCertPem: cert, clientKeyPem: key });
    return { creds, expiresAt };
  }

  private badOutput(problem: string): ConfigError {
    return new ConfigError(
      `The credential plugin ${this.label} (user "${this.plugin.userName}" in ${this.plugin.sourceFile}) ` +
        `did not return usable credentials: ${problem}.`,
      "Run the command yourself to check its output, or log in with `oc login <server>`.",
    );
  }
}
