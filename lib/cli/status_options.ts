/** The options of `status` as the CLI parses them (issue 6). */
export interface StatusOptions {
  /** Keep the view live until the migration completes (exit 0) or is blocked/failed (exit 3). */
  watch: boolean;
  /** How often Prometheus metrics are refreshed while watching, in milliseconds (`--interval`, default 30s). */
  intervalMs: number;
}
