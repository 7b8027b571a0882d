/**
 * The layering the code keeps (README "Layout"): the domain (lib/migrate, lib/status, lib/verify, lib/kube,
 * lib/openshift, lib/metrics, lib/openstack) never imports the CLI layer, nothing in lib/ imports scripts/, and
 * no module imports itself back through others. Read from the source text, static and dynamic imports alike.
 */
import assert from "node:assert/strict";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const DOMAIN = ["migrate", "status", "verify", "kube", "openshift", "metrics", "openstack"].map((d) => `lib/${d}/`);

interface Import {
  target: string;
  typeOnly: boolean;
  dynamic: boolean;
}

async function tsFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(join(ROOT, dir))) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) out.push(...await tsFiles(path));
    else if (e.name.endsWith(".ts")) out.push(path);
  }
  return out;
}

/** Relative imports of a file, resolved to repository paths. */
export function importsOf(file: string, text: string): Import[] {
  const found: Import[] = [];
  const patterns: [RegExp, boolean][] = [
    [/^\s*(import|export)\s+(type\s+)?[^'"]*?from\s+["']([^"']+)["']/gm, false],
    [/^\s*import\s+["']([^"']+)["']/gm, false],
    [/import\(\s*["']([^"']+)["']\s*\)/g, true],
  ];
  for (const [re, dynamic] of patterns) {
    for (const m of text.matchAll(re)) {
      const spec = m[3] ?? m[1];
      if (!spec.startsWith(".")) continue;
      found.push({
        target: relative(ROOT, resolve(ROOT, dirname(file), spec)),
        typeOnly: Boolean(m[2]),
        dynamic,
      });
    }
  }
  return found;
}

async function graph(): Promise<Map<string, Import[]>> {
  const g = new Map<string, Import[]>();
  for (const file of [...await tsFiles("lib"), "main.ts"]) {
    g.set(file, importsOf(file, await Deno.readTextFile(join(ROOT, file))));
  }
  return g;
}

Deno.test("no domain module imports the CLI layer (lib/cli/), and nothing in lib/ imports scripts/", async () => {
  const g = await graph();
  assert.ok(g.size > 100, `read the sources (${g.size} files)`);
  const bad: string[] = [];
  for (const [file, imports] of g) {
    for (const i of imports) {
      if (DOMAIN.some((d) => file.startsWith(d)) && i.target.startsWith("lib/cli/")) bad.push(`${file} → ${i.target}`);
      if (file.startsWith("lib/") && i.target.startsWith("scripts/")) bad.push(`${file} → ${i.target}`);
    }
  }
  assert.deepEqual(bad, []);
});

Deno.test("the rule catches what it is meant to catch", () => {
  const imports = importsOf(
    "lib/migrate/x.ts",
    `import type { Io } from "../cli/context.ts";\nconst m = await import("../../scripts/compile.ts");`,
  );
  assert.deepEqual(imports.map((i) => i.target), ["lib/cli/context.ts", "scripts/compile.ts"]);
  assert.equal(imports[0].typeOnly, true);
  assert.equal(imports[1].dynamic, true);
});

Deno.test("no import cycle among the modules of lib/ (static and dynamic imports, types included)", async () => {
  const g = await graph();
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]) => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      cycles.push([...path.slice(path.indexOf(file)), file].join(" → "));
      return;
    }
    state.set(file, "open");
    for (const i of g.get(file) ?? []) if (g.has(i.target)) visit(i.target, [...path, file]);
    state.set(file, "done");
  };
  for (const file of g.keys()) visit(file, []);
  assert.deepEqual(cycles, []);
});
