/** The options of `cleanup` as the CLI parses them (issue 7). */
export interface CleanupOptions {
  /** List every change; write nothing. */
  dryRun: boolean;
  /** Do not ask for confirmation (required when stdin is not a terminal). */
  yes: boolean;
  /** Longest wait for each step (namespace deletion…), in milliseconds; 0 waits forever. */
  timeoutMs: number;
}
