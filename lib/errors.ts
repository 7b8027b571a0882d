/**
 * Errors a user is meant to read. Library code throws these; only main.ts turns them into a message
 * and an exit code, so an expected failure never shows a stack trace.
 */
import { ExitCode } from "./exit_codes.ts";

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    /** What to do about it, printed on its own line. */
    readonly hint?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Bad flags or arguments (exit 2). */
export class UsageError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.UsageError, hint);
  }
}

/** Bad kubeconfig, unreachable or unsuitable cluster configuration (exit 2). */
export class ConfigError extends CliError {
  constructor(message: string, hint?: string, options?: ErrorOptions) {
    super(message, ExitCode.UsageError, hint, options);
  }
}

/** A check failed or the migration is blocked/failed (exit 3); the message is the diagnosis. */
export class BlockedError extends CliError {
  constructor(message: string, hint?: string) {
    super(message, ExitCode.Failed, hint);
  }
}

/** An API request failed in a way the user can act on (exit 1); see lib/kube/errors.ts. */
export class KubeError extends CliError {
  constructor(
    message: string,
    readonly status: number | undefined,
    hint?: string,
    options?: ErrorOptions & { exitCode?: ExitCode },
  ) {
    super(message, options?.exitCode ?? ExitCode.RuntimeError, hint, options);
  }
}
