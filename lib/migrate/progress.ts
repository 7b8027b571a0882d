/**
 * Where a migration stands, kept in the cluster (ConfigMap kube-system/oc-ovn-migrate-progress) so a run
 * from another machine resumes it, and mirrored to a local file for support cases. The cluster's real
 * state always wins over this record: steps check it before applying (see step.ts); the record only
 * remembers what cannot be read back (bootIDs before the flip, reboots already requested, the backup).
 */
import { z } from "zod";
import { R } from "../kube/resources.ts";
import type { Kube, KubeObject } from "../kube/types.ts";
import { CliError, KubeError } from "../errors.ts";
import { ExitCode } from "../exit_codes.ts";
import { sleep } from "../sleep.ts";

export const PROGRESS_NAMESPACE = "kube-system";
export const PROGRESS_NAME = "oc-ovn-migrate-progress";
const KEY = "progress.json";

export const ProgressRecordSchema = z.object({
  apiVersion: z.literal("ovn-migrate.openshift.io/v1alpha1"),
  kind: z.literal("MigrationProgress"),
  operation: z.enum(["migrate", "rollback", "cleanup"]),
  method: z.string(),
  from: z.string(),
  to: z.string(),
  startedAt: z.string(),
  updatedAt: z.string(),
  /** Every run that worked on this migration (host and tool version), newest last. */
  runs: z.array(z.looseObject({ host: z.string(), startedAt: z.string(), version: z.string() })),
  steps: z.record(z.string(), z.looseObject({ completedAt: z.string(), skipped: z.string().optional() })),
  /** Step-owned values, by key (e.g. `bootIDsAtFlip`). */
  data: z.record(z.string(), z.unknown()),
});
export type ProgressRecord = z.infer<typeof ProgressRecordSchema>;
export type Operation = ProgressRecord["operation"];

export interface ProgressOptions {
  operation: Operation;
  method: string;
  from: string;
  to: string;
  version: string;
  /** Never write (dry run). */
  dryRun: boolean;
  /** Local mirror file; absent = no mirror. */
  mirrorFile?: string;
  now?: () => Date;
}

export class Progress {
  #cm: KubeObject | undefined;
  #record: ProgressRecord;

  private constructor(
    private readonly kube: Pick<Kube, "get" | "create" | "replace" | "delete">,
    private readonly opts: ProgressOptions,
    cm: KubeObject | undefined,
    record: ProgressRecord,
  ) {
    this.#cm = cm;
    this.#record = record;
  }

  /** Reads the record of the same operation (starting a new one if there is none or it was another operation). */
  static async load(
    kube: Pick<Kube, "get" | "create" | "replace" | "delete">,
    opts: ProgressOptions,
  ): Promise<Progress> {
    const cm = await kube.get(R.configMap, PROGRESS_NAME, PROGRESS_NAMESPACE);
    const now = (opts.now ?? (() => new Date()))().toISOString();
    let record = parseRecord(cm);
    const same = record && record.operation === opts.operation && record.to === opts.to;
    if (!record || !same) {
      record = {
        apiVersion: "ovn-migrate.openshift.io/v1alpha1",
        kind: "MigrationProgress",
        operation: opts.operation,
        method: opts.method,
        from: opts.from,
        to: opts.to,
        startedAt: now,
        updatedAt: now,
        runs: [],
        steps: {},
        data: {},
      };
    }
    record.runs.push({ host: hostname(), startedAt: now, version: opts.version });
    return new Progress(kube, opts, cm, record);
  }

  get record(): Readonly<ProgressRecord> {
    return this.#record;
  }

  /** The method of the migration under way (a resumed run keeps the one it started with). */
  get method(): string {
    return this.#record.method;
  }

  /** Any step recorded: a run of this operation has already changed the cluster. */
  get started(): boolean {
    return Object.keys(this.#record.steps).length > 0;
  }

  isDone(stepId: string): boolean {
    return stepId in this.#record.steps;
  }

  async markDone(stepId: string, skipped?: string): Promise<void> {
    this.#record.steps[stepId] = { completedAt: this.#now(), ...(skipped ? { skipped } : {}) };
    await this.save();
  }

  get<T>(key: string): T | undefined {
    return this.#record.data[key] as T | undefined;
  }

  async set(key: string, value: unknown): Promise<void> {
    this.#record.data[key] = value;
    await this.save();
  }

  /** Writes the record to the cluster (and the local mirror); a no-op in a dry run. */
  async save(): Promise<void> {
    if (this.opts.dryRun) return;
    // Replacing with the resourceVersion we hold is safe to repeat: if a failed attempt did land, the
    // retry gets 409 and takes the newest version.
    for (let attempt = 1;; attempt++) {
      try {
        return await this.#save();
      } catch (e) {
        const status = e instanceof KubeError ? e.status ?? 0 : 0;
        if (attempt >= 5 || !(status >= 500 || status === 429)) throw e;
        await sleep(500 * attempt);
      }
    }
  }

  async #save(): Promise<void> {
    this.#record.updatedAt = this.#now();
    const data = { [KEY]: JSON.stringify(this.#record, null, 1) };
    if (this.#cm) {
      try {
        this.#cm = await this.kube.replace(R.configMap, { ...this.#cm, data }, { namespace: PROGRESS_NAMESPACE });
      } catch (e) {
        // One writer at a time is the contract; after a conflict, take the newest version and write ours over it.
        if (!(e instanceof KubeError && e.status === 409)) throw e;
        const fresh = await this.kube.get(R.configMap, PROGRESS_NAME, PROGRESS_NAMESPACE);
        this.#cm = fresh
          ? await this.kube.replace(R.configMap, { ...fresh, data }, { namespace: PROGRESS_NAMESPACE })
          : await this.#create(data);
      }
    } else {
      this.#cm = await this.#create(data);
    }
    if (this.opts.mirrorFile) {
      await Deno.mkdir(dirname(this.opts.mirrorFile), { recursive: true });
      await Deno.writeTextFile(this.opts.mirrorFile, data[KEY] + "\n");
    }
  }

  /** Removes the record (after cleanup: nothing is under way any more). */
  async remove(): Promise<void> {
    if (this.opts.dryRun) return;
    await this.kube.delete(R.configMap, PROGRESS_NAME, { namespace: PROGRESS_NAMESPACE });
    this.#cm = undefined;
  }

  async #create(data: Record<string, string>): Promise<KubeObject> {
    try {
      return await this.kube.create(R.configMap, {
        apiVersion: "v1",
        kind: "ConfigMap",
        metadata: {
          name: PROGRESS_NAME,
          namespace: PROGRESS_NAMESPACE,
          labels: { "app.kubernetes.io/managed-by": "oc-ovn-migrate" },
        },
        data,
      }, { namespace: PROGRESS_NAMESPACE });
    } catch (e) {
      if (!(e instanceof KubeError && e.status === 409)) throw e;
      const fresh = await this.kube.get(R.configMap, PROGRESS_NAME, PROGRESS_NAMESPACE);
      return await this.kube.replace(R.configMap, { ...fresh!, data }, { namespace: PROGRESS_NAMESPACE });
    }
  }

  #now(): string {
    return (this.opts.now ?? (() => new Date()))().toISOString();
  }
}

/** The progress record stored in the cluster, if any (also used by `status` and `cleanup`). */
export async function readProgress(kube: Pick<Kube, "get">): Promise<ProgressRecord | undefined> {
  return parseRecord(await kube.get(R.configMap, PROGRESS_NAME, PROGRESS_NAMESPACE));
}

/**
 * The record in the ConfigMap, validated. A record that is there but damaged is an error, never a fresh start: a
 * fresh start would forget the boot IDs at the flip and the reboots already requested.
 */
export function parseRecord(cm: KubeObject | undefined): ProgressRecord | undefined {
  if (!cm) return undefined;
  const text = cm.data?.[KEY];
  let problem: string;
  if (typeof text !== "string") problem = `it has no data key ${KEY}`;
  else {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (e) {
      json = undefined;
      problem = `${KEY} is not JSON (${(e as Error).message})`;
    }
    if (json !== undefined) {
      const parsed = ProgressRecordSchema.safeParse(json);
      if (parsed.success) return parsed.data;
      const issue = parsed.error.issues[0];
      problem = `${KEY} field ${issue.path.join(".") || "(root)"}: ${issue.message}`;
    }
  }
  throw new CliError(
    `The progress record ConfigMap ${PROGRESS_NAMESPACE}/${PROGRESS_NAME} is damaged: ${problem!}. Nothing was changed.`,
    ExitCode.Failed,
    `Look at it: oc get configmap -n ${PROGRESS_NAMESPACE} ${PROGRESS_NAME} -o yaml. Repair it from the copy the ` +
      `tool keeps in <backup-dir>/progress.json (oc create configmap -n ${PROGRESS_NAMESPACE} ${PROGRESS_NAME} ` +
      `--from-file=progress.json=<backup-dir>/progress.json --dry-run=client -o yaml | oc replace -f -), or, only if ` +
      `no migration is under way, delete it.`,
  );
}

function hostname(): string {
  try {
    return Deno.hostname();
  } catch {
    return "unknown";
  }
}

function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i > 0 ? path.slice(0, i) : ".";
}
