/**
 * The exit-code contract (product.md §3), shared by every command, `--help` and the README.
 * Preflight follows replicatedhq/troubleshoot: a failed check wins over warnings.
 */
export const ExitCode = {
  /** Success; every check passed; the migration is complete. */
  Ok: 0,
  /** Runtime error: the API failed, a timeout passed, something unexpected happened. */
  RuntimeError: 1,
  /** Usage or configuration error: bad flags, bad kubeconfig, not an OpenShift cluster. */
  UsageError: 2,
  /** A check failed, or the migration is blocked or failed. */
  Failed: 3,
  /** Preflight found warnings only. */
  Warnings: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The table as printed in `--help` and the README. */
export const EXIT_CODE_TABLE: readonly [ExitCode, string][] = [
  [ExitCode.Ok, "success: all checks passed, or the migration completed"],
  [ExitCode.RuntimeError, "runtime error (API failure, request timeout, unexpected error)"],
  [ExitCode.UsageError, "usage or configuration error (bad flag, kubeconfig, not an OpenShift cluster)"],
  [ExitCode.Failed, "a check failed, or the migration is blocked, failed or timed out waiting"],
  [ExitCode.Warnings, "warnings only (preflight)"],
];
