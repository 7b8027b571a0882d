/** Verbose logging (-v) as the domain sees it: a line at a level. Every line is redacted before it is shown. */
export interface Logger {
  debug(level: number, message: string): void;
}
