/** The JSON/YAML preflight report (documented in REPORT_SCHEMA.md); tests validate output against it. */
import { z } from "zod";

export const REPORT_API_VERSION = "ovn-migrate.openshift.io/v1alpha1";

const Counts = z.object({
  passed: z.number().int(),
  warnings: z.number().int(),
  failed: z.number().int(),
  skipped: z.number().int(),
});

export const PreflightReport = z.object({
  apiVersion: z.literal(REPORT_API_VERSION),
  kind: z.literal("PreflightReport"),
  generatedAt: z.string(),
  cluster: z.object({
    server: z.string(),
    version: z.string().nullable(),
    platform: z.string().nullable(),
    networkType: z.string().nullable(),
    nodes: z.number().int().nullable(),
    factsCollectedAt: z.string(),
    /** The snapshot file when evaluated with --facts. */
    factsFile: z.string().nullable(),
  }),
  method: z.object({
    requested: z.enum(["auto", "offline", "live"]),
    evaluated: z.array(z.enum(["offline", "live"])),
    recommended: z.enum(["offline", "live", "none"]),
    reasons: z.array(z.string()),
  }),
  checks: z.array(z.object({
    id: z.string(),
    title: z.string(),
    section: z.string(),
    level: z.enum(["pass", "warn", "fail", "skip"]),
    method: z.enum(["offline", "live", "both"]),
    message: z.string(),
    fix: z.string().nullable(),
    objects: z.array(z.object({ kind: z.string(), namespace: z.string().optional(), name: z.string() })),
  })),
  summary: Counts.extend({
    /** The method the exit code is about: the requested one, or the recommended one with auto. */
    verdictMethod: z.enum(["offline", "live", "none"]),
    exitCode: z.number().int(),
    byMethod: z.object({ offline: Counts.optional(), live: Counts.optional() }),
  }),
});
export type PreflightReport = z.infer<typeof PreflightReport>;
