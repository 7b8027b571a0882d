/**
 * What every command receives: the parsed global flags, the terminal it writes to, and a way to
 * reach the cluster. Commands return an exit code and never exit themselves (main.ts does).
 */
import type { ExitCode } from "../exit_codes.ts";
import type { ConnectionOptions } from "../kube/connection_options.ts";
import type { Kube } from "../kube/types.ts";
import type { Logger } from "../log.ts";

export type { Logger };

export type OutputFormat = "human" | "json" | "yaml";
export type ColorMode = "auto" | "always" | "never";

/** kubectl's connection flags plus the product's global flags. */
export interface GlobalOptions extends ConnectionOptions {
  /** -v level (0 = quiet). */
  verbose: number;
  output: OutputFormat;
  color: ColorMode;
}

/** Where output goes. Results on stdout, progress and diagnostics on stderr. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** stdout is a terminal with a usable width (columns > 0). */
  stdoutIsTTY: boolean;
  stdinIsTTY: boolean;
  /** Terminal width, 0 when unknown. */
  columns: number;
  /** Colour is on (decided once from --color, NO_COLOR, FORCE_COLOR and the terminal). */
  color: boolean;
  env(name: string): string | undefined;
  /** The whole environment (for openstacksdk's OS_* discovery, which looks at every OS_ variable). */
  environment(): Record<string, string | undefined>;
}

export interface CommandContext {
  globals: GlobalOptions;
  io: Io;
  log: Logger;
  /** Resolves the kubeconfig like kubectl and returns the cluster facade (loads the client lazily). */
  connect(): Promise<Kube>;
}

export type CommandResult = Promise<ExitCode>;
