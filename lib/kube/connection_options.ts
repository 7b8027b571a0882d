/** kubectl's connection flags, as the cluster access layer takes them (the CLI's global flags fill them in). */
export interface ConnectionOptions {
  kubeconfig?: string;
  context?: string;
  cluster?: string;
  user?: string;
  server?: string;
  token?: string;
  certificateAuthority?: string;
  insecureSkipTlsVerify?: boolean;
  as?: string;
  asGroup?: string[];
  /** kubectl duration syntax ("30s", "1m", "0" = none). */
  requestTimeout?: string;
}
