/**
 * The flags every command takes: kubectl's connection flags (the same names, syntax and defaults as kubectl) and
 * the product's -v, -o and --color. Defined once, on the root command; commander accepts them before or after the
 * command name.
 */
import { Command, Option } from "commander";
import { registerSecret } from "../redact.ts";
import { COLORS, OUTPUTS } from "./choices.ts";
import type { ColorMode, GlobalOptions, OutputFormat } from "./context.ts";
import { checkedTimeoutString, collect, parseVerbosity } from "./flag_values.ts";

export function withGlobalFlags(cmd: Command) {
  return cmd
    .addOption(new Option("--kubeconfig <file>", "path to the kubeconfig file (default: $KUBECONFIG, ~/.kube/config)"))
    .addOption(new Option("--context <name>", "the name of the kubeconfig context to use"))
    .addOption(new Option("--cluster <name>", "the name of the kubeconfig cluster to use"))
    .addOption(new Option("--user <name>", "the name of the kubeconfig user to use"))
    .addOption(new Option("-s, --server <url>", "the address and port of the Kubernetes API server"))
    .addOption(new Option("--token <token>", "bearer token for authentication to the API server"))
    .addOption(new Option("--certificate-authority <file>", "path to a cert file for the certificate authority"))
    .addOption(
      new Option("--insecure-skip-tls-verify", "do not check the server's certificate (insecure)").default(false),
    )
    .addOption(new Option("--as <user>", "username to impersonate for the operation"))
    .addOption(
      new Option("--as-group <group>", "group to impersonate for the operation (repeatable)")
        .argParser(collect).default([] as string[], "none"),
    )
    .addOption(
      new Option("--request-timeout <duration>", "how long to wait for one API request (0 = no limit)")
        .argParser(checkedTimeoutString).default("0"),
    )
    .addOption(
      new Option("-v, --v <level>", "log level verbosity, 0-10 (kubectl style: -v=6, -v 6)")
        .argParser(parseVerbosity).default(0),
    )
    .addOption(new Option("-o, --output <format>", "output format").choices(OUTPUTS).default("human" as const))
    .addOption(
      new Option("--color <when>", "colour output (NO_COLOR in the environment turns it off in auto)")
        .choices(COLORS).default("auto" as const),
    );
}

export type RootCommand = ReturnType<typeof withGlobalFlags>;

/** The parsed global flags; a `--token` is registered for redaction before anything can print it. */
export function globalsOf(root: RootCommand): GlobalOptions {
  const o = root.opts();
  if (o.token) registerSecret(o.token);
  return {
    kubeconfig: o.kubeconfig,
    context: o.context,
    cluster: o.cluster,
    user: o.user,
    server: o.server,
    token: o.token,
    certificateAuthority: o.certificateAuthority,
    insecureSkipTlsVerify: o.insecureSkipTlsVerify,
    as: o.as,
    asGroup: o.asGroup,
    requestTimeout: o.requestTimeout,
    verbose: o.v,
    output: o.output as OutputFormat,
    color: o.color as ColorMode,
  };
}

/** The first `--color` value on the command line (before `--`), so even parse errors use the right colour. */
export function prescanColor(argv: string[]): ColorMode {
  let mode: ColorMode = "auto";
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--") break;
    let value: string | undefined;
    if (a === "--color") value = argv[i + 1];
    else if (a.startsWith("--color=")) value = a.slice("--color=".length);
    if (value === "always" || value === "never" || value === "auto") mode = value;
  }
  return mode;
}
