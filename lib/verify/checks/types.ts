/** The shape every check implements; run.ts adds the id, title and method to what `evaluate` returns. */
import type { MigrationMethod, PreflightOptions } from "../options.ts";
import type { FactKey, Facts } from "../facts.ts";
import type { SourcePlugin, Version } from "../version.ts";

export type Level = "pass" | "warn" | "fail" | "skip";

export interface InvolvedObject {
  kind: string;
  namespace?: string;
  name: string;
}

/** One finding of a check: what is wrong (or fine) with which object, and the fix. */
export interface CheckResult {
  level: Level;
  /** Names the object, the problem and the fix. */
  message: string;
  /** The exact `oc` command or `execute` flag that fixes it, when there is one. */
  fix?: string;
  objects?: InvolvedObject[];
}

export interface CheckContext {
  method: MigrationMethod;
  options: PreflightOptions;
  /** The plugin being migrated away from (network.config status.networkType), when it is one we migrate. */
  source?: SourcePlugin;
  version?: Version;
}

export type Section = "Cluster" | "Nodes and pools" | "Network configuration" | "SDN features" | "Workloads" | "Kuryr";

export interface Check {
  /** Stable kebab-case id (used by --only / --skip-check and in JSON output). */
  id: string;
  title: string;
  section: Section;
  methods: MigrationMethod[];
  /** Only for these source plugins (absent: any). */
  sources?: readonly SourcePlugin[];
  /** Facts the check reads; when one failed to read, the check is skipped with the error as the reason. */
  needs: FactKey[];
  evaluate(facts: Facts, ctx: CheckContext): CheckResult | CheckResult[];
}
