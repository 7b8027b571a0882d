/**
 * Reads a scenario: a built-in name (sim/scenarios/<name>.yaml) or a path to a YAML file, validated
 * against the scenario schema. Errors name the file and the offending field, never a stack trace.
 */
import { load } from "js-yaml";
import type { z } from "zod";
import { ScenarioSpec } from "./schema.ts";

const BUILTIN_DIR = new URL("../scenarios/", import.meta.url);

/** Names of the built-in scenarios, sorted. */
export async function listScenarios(): Promise<string[]> {
  const names: string[] = [];
  for await (const e of Deno.readDir(BUILTIN_DIR)) {
    if (e.isFile && e.name.endsWith(".yaml")) names.push(e.name.slice(0, -".yaml".length));
  }
  return names.sort();
}

const looksLikePath = (s: string) => s.includes("/") || s.includes("\\") || /\.ya?ml$/i.test(s);

function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out ? `.${String(p)}` : String(p);
  return out || "(top level)";
}

function describeIssues(file: string, error: z.ZodError): string {
  const lines = error.issues.slice(0, 10).map((i) => `  ${fieldPath(i.path)}: ${i.message}`);
  if (error.issues.length > 10) lines.push(`  … and ${error.issues.length - 10} more`);
  return `invalid scenario ${file}:\n${lines.join("\n")}`;
}

/** Validates an already-parsed scenario document; `source` names it in error messages. */
export function parseScenario(doc: unknown, source: string): ScenarioSpec {
  if (!doc || typeof doc !== "object" || Array.isArray(doc)) {
    throw new Error(`invalid scenario ${source}: the file must hold one YAML mapping`);
  }
  const r = ScenarioSpec.safeParse(doc);
  if (!r.success) throw new Error(describeIssues(source, r.error));
  const spec = r.data;
  const pools = new Set<string>();
  for (const [i, p] of spec.pools.entries()) {
    if (pools.has(p.name)) {
      throw new Error(`invalid scenario ${source}:\n  pools[${i}].name: duplicate pool "${p.name}"`);
    }
    pools.add(p.name);
    if (p.nodeNames && p.nodeNames.length !== p.nodes) {
      throw new Error(
        `invalid scenario ${source}:\n  pools[${i}].nodeNames: has ${p.nodeNames.length} names for ${p.nodes} nodes`,
      );
    }
  }
  if (spec.migratedFrom && spec.network.type === spec.migratedFrom.type) {
    throw new Error(
      `invalid scenario ${source}:\n  network.type: a cluster migrated from ${spec.migratedFrom.type} runs another plugin`,
    );
  }
  for (const [i, o] of spec.objects.entries()) {
    if (typeof o.apiVersion !== "string" || typeof o.kind !== "string") {
      throw new Error(`invalid scenario ${source}:\n  objects[${i}]: needs apiVersion and kind`);
    }
    if (typeof o.metadata?.name !== "string" && typeof o.metadata?.generateName !== "string") {
      throw new Error(`invalid scenario ${source}:\n  objects[${i}].metadata.name: Required`);
    }
  }
  return spec;
}

/** Loads a built-in scenario by name, or a scenario file by path. */
export async function loadScenario(nameOrPath: string): Promise<ScenarioSpec> {
  let file: string | URL;
  if (looksLikePath(nameOrPath)) {
    file = nameOrPath;
  } else {
    file = new URL(`${nameOrPath}.yaml`, BUILTIN_DIR);
  }
  const shown = typeof file === "string" ? file : `sim/scenarios/${nameOrPath}.yaml`;
  let text: string;
  try {
    text = await Deno.readTextFile(file);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) {
      if (typeof file === "string") throw new Error(`scenario file ${shown} not found`);
      const known = await listScenarios();
      throw new Error(
        `unknown scenario "${nameOrPath}" (built-in: ${known.join(", ")}; or give a path to a YAML file)`,
      );
    }
    throw new Error(`cannot read scenario file ${shown}: ${(e as Error).message}`);
  }
  let doc: unknown;
  try {
    doc = load(text, { filename: shown });
  } catch (e) {
    throw new Error(`invalid YAML in scenario ${shown}: ${(e as Error).message}`);
  }
  return parseScenario(doc, shown);
}
