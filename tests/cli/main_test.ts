/** End-to-end: main.ts as a subprocess with the binary's permissions. */
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { ANSI, DENO, ROOT, runMain } from "./helpers.ts";

Deno.test("version, and -o json with version/deno/os/arch", async () => {
  const human = await runMain(["version"]);
  equal(human.code, 0);
  equal(human.stdout, `oc-ovn-migrate 0.1.0 (deno ${Deno.version.deno}, ${Deno.build.os}/${Deno.build.arch})\n`);
  const json = await runMain(["version", "-o", "json"]);
  equal(json.code, 0);
  deepEqual(JSON.parse(json.stdout), {
    version: "0.1.0",
    deno: Deno.version.deno,
    os: Deno.build.os,
    arch: Deno.build.arch,
  });
});

Deno.test("exit codes through main.ts: bad flag 2, unknown command 2, help 0", async () => {
  const bad = await runMain(["execute", "--method", "live", "--mtu", "x"]);
  equal(bad.code, 2);
  match(bad.stderr, /--mtu/);
  equal((await runMain(["nope"])).code, 2);
  equal((await runMain(["--help"])).code, 0);
});

Deno.test("NO_COLOR and --color never give no ANSI; --color always and FORCE_COLOR give colour", async () => {
  const args = ["execute", "--method", "live", "--mtu", "x"];
  // The error label is coloured when colour is on; commander's own errors are plain, so use a CliError path.
  const blocked = ["execute", "--method", "offline", "--host-prefix", "23"];
  for (
    const r of [
      await runMain(blocked, { NO_COLOR: "1", FORCE_COLOR: "1" }),
      await runMain([...blocked, "--color", "never"], { FORCE_COLOR: "1" }),
    ]
  ) {
    equal(r.code, 2);
    ok(!ANSI.test(r.stdout + r.stderr), r.stderr);
  }
  ok(ANSI.test((await runMain([...blocked, "--color=always"], { NO_COLOR: "1" })).stderr));
  ok(ANSI.test((await runMain(blocked, { FORCE_COLOR: "1" })).stderr));
  ok(!ANSI.test((await runMain(args)).stderr), "piped output has no colour by default");
  ok(!ANSI.test((await runMain(["--help"], { NO_COLOR: "1" })).stdout));
});

Deno.test("main.ts is the only place that calls Deno.exit, once", async () => {
  const hits: string[] = [];
  const walk = async (dir: string) => {
    for await (const e of Deno.readDir(dir)) {
      const p = `${dir}/${e.name}`;
      if (e.isDirectory) await walk(p);
      else if (p.endsWith(".ts")) {
        const n = (await Deno.readTextFile(p)).split("Deno.exit(").length - 1;
        for (let i = 0; i < n; i++) hits.push(p.slice(ROOT.length + 1));
      }
    }
  };
  await walk(`${ROOT}/lib`);
  const main = (await Deno.readTextFile(`${ROOT}/main.ts`)).split("Deno.exit(").length - 1;
  deepEqual(hits, []);
  equal(main, 1);
});

/** Static (non-dynamic) module graph from main.ts, from `deno info --json`. */
async function staticGraph(entry: string): Promise<Set<string>> {
  const out = await new Deno.Command(DENO, {
    args: ["info", "--json", "--config", `${ROOT}/deno.json`, entry],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  equal(out.code, 0, new TextDecoder().decode(out.stderr));
  const info = JSON.parse(new TextDecoder().decode(out.stdout)) as {
    roots: string[];
    modules: {
      specifier: string;
      dependencies?: {
        code?: { specifier: string };
        type?: { specifier: string };
        isDynamic?: boolean;
        npmPackage?: string;
      }[];
    }[];
    redirects: Record<string, string>;
  };
  const bySpec = new Map(info.modules.map((m) => [m.specifier, m]));
  const seen = new Set<string>();
  const stack = [...info.roots];
  while (stack.length) {
    let spec = stack.pop()!;
    spec = info.redirects[spec] ?? spec;
    if (seen.has(spec)) continue;
    seen.add(spec);
    for (const d of bySpec.get(spec)?.dependencies ?? []) {
      if (d.isDynamic) continue;
      if (d.code) stack.push(d.code.specifier);
    }
  }
  return seen;
}

Deno.test("--help, version and completion never statically load @kubernetes/client-node", async () => {
  const graph = await staticGraph(`${ROOT}/main.ts`);
  ok(graph.size > 5, "graph walked");
  const heavy = [...graph].filter((s) => s.includes("kubernetes/client-node") || s.includes("/lib/kube/connect.ts"));
  deepEqual(heavy, []);
});

Deno.test("version works even when the Kubernetes client cannot be loaded", async () => {
  // An import map that points the client at a module that throws when evaluated.
  const dir = await Deno.makeTempDir();
  try {
    const config = JSON.parse(await Deno.readTextFile(`${ROOT}/deno.json`));
    await Deno.writeTextFile(`${dir}/boom.ts`, 'throw new Error("client-node was loaded");\n');
    config.imports["@kubernetes/client-node"] = `${dir}/boom.ts`;
    await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify({ imports: config.imports, nodeModulesDir: "none" }));
    // Control: under this config, importing the client really fails.
    await Deno.writeTextFile(`${dir}/probe.ts`, 'await import("@kubernetes/client-node");\n');
    const probe = await new Deno.Command(DENO, {
      args: ["run", "-A", "--no-lock", "--config", `${dir}/deno.json`, `${dir}/probe.ts`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    ok(probe.code !== 0 && new TextDecoder().decode(probe.stderr).includes("client-node was loaded"));
    for (const args of [["version"], ["--help"], ["__complete", "ex"], ["completion", "zsh"]]) {
      const out = await new Deno.Command(DENO, {
        args: ["run", "-A", "--no-lock", "--config", `${dir}/deno.json`, `${ROOT}/main.ts`, ...args],
        stdout: "piped",
        stderr: "piped",
      }).output();
      equal(out.code, 0, `${args.join(" ")}: ${new TextDecoder().decode(out.stderr)}`);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
