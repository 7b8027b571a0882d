/**
 * Builds the single-file binaries: `deno task compile [--target T]… [--print]`.
 *
 * Output: dist/oc-ovn-migrate-<target>[.exe], with the least permissions that work (lib/permissions.ts).
 * `deno compile` downloads the runtime (denort) for each target from dl.deno.land; machines that cannot
 * reach it set DENORT_BIN to a denort binary fetched elsewhere (one target per run).
 */
import { PERMISSION_FLAGS } from "../lib/permissions.ts";

export const TARGETS = [
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
] as const;
export type Target = (typeof TARGETS)[number];

export function isTarget(value: string): value is Target {
  return (TARGETS as readonly string[]).includes(value);
}

export function outputPath(target: Target): string {
  return `dist/oc-ovn-migrate-${target}${target.includes("windows") ? ".exe" : ""}`;
}

/** The arguments after `deno` for one target (pure, so tests can check them). */
export function compileArgs(target: Target): string[] {
  return [
    "compile",
    "--target",
    target,
    "--output",
    outputPath(target),
    ...PERMISSION_FLAGS,
    "--config",
    "deno.json",
    "main.ts",
  ];
}

export interface CompileCli {
  targets: Target[];
  print: boolean;
  help: boolean;
}

/** `--target T` (repeatable, also `--target=T`), `--print`/`--dry-run`, `--help`. Throws on bad input. */
export function parseCompileArgs(args: string[]): CompileCli {
  const targets: Target[] = [];
  let print = false;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === "--print" || a === "--dry-run") print = true;
    else if (a === "-h" || a === "--help") help = true;
    else if (a === "--target" || a.startsWith("--target=")) {
      const value = a === "--target" ? args[++i] : a.slice("--target=".length);
      if (value === undefined || !isTarget(value)) {
        throw new Error(`--target must be one of: ${TARGETS.join(", ")} (got ${value ?? "nothing"})`);
      }
      if (!targets.includes(value)) targets.push(value);
    } else {
      throw new Error(`unknown argument ${a}; use --target T (repeatable) and --print`);
    }
  }
  return { targets: targets.length ? targets : [...TARGETS], print, help };
}

export function runtimeUrl(version: string, target: Target): string {
  return `https://dl.deno.land/release/v${version}/denort-${target}.zip`;
}

/** What to tell the user when the runtime for `targets` cannot be had. */
export function missingRuntimeMessage(what: string, version: string, targets: Target[]): string {
  return [
    `error: ${what}`,
    "",
    "`deno compile` needs the Deno runtime (denort) for each target and downloads it from dl.deno.land,",
    "which this machine cannot reach (build machines are often offline).",
    "",
    `On a connected machine, download the runtime matching the pinned Deno ${version}:`,
    ...targets.map((t) => `  ${runtimeUrl(version, t)}`),
    "unzip it, copy the `denort` binary here and build one target at a time with it:",
    `  DENORT_BIN=/path/to/denort deno task compile --target ${targets[0]}`,
  ].join("\n") + "\n";
}

/** Signs of a failed runtime download in deno compile's output. */
export function isDownloadFailure(stderr: string): boolean {
  return /dl\.deno\.land|download|error sending request|dns error|failed to lookup|connection refused|network is unreachable|timed out/i
    .test(stderr);
}

async function pinnedDenoVersion(): Promise<string> {
  try {
    const pkg = JSON.parse(await Deno.readTextFile(new URL("../package.json", import.meta.url)));
    return String(pkg.devDependencies?.deno ?? Deno.version.deno);
  } catch {
    return Deno.version.deno;
  }
}

function fileExists(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

const HELP = `Usage: deno task compile [--target T]… [--print]

Builds dist/oc-ovn-migrate-<target>[.exe] for each target (default: all):
  ${TARGETS.join("\n  ")}

  --target T   build only T (repeatable)
  --print      print the deno compile commands without running them

DENORT_BIN=/path/to/denort uses a local runtime instead of downloading one (one target per run).
`;

export async function main(args: string[]): Promise<number> {
  let cli: CompileCli;
  try {
    cli = parseCompileArgs(args);
  } catch (err) {
    console.error(`error: ${(err as Error).message}`);
    return 2;
  }
  if (cli.help) {
    console.log(HELP);
    return 0;
  }
  const version = await pinnedDenoVersion();
  const denort = Deno.env.get("DENORT_BIN");
  if (denort !== undefined) {
    if (!fileExists(denort)) {
      console.error(
        missingRuntimeMessage(`DENORT_BIN=${denort} does not exist or is not a file.`, version, cli.targets),
      );
      return 1;
    }
    if (cli.targets.length !== 1) {
      console.error("error: DENORT_BIN is the runtime of one target; choose it with --target T.");
      return 2;
    }
  }

  const root = new URL("..", import.meta.url);
  if (!cli.print) await Deno.mkdir(new URL("dist", root), { recursive: true });
  for (const target of cli.targets) {
    const args = compileArgs(target);
    console.error(`${denort ? `DENORT_BIN=${denort} ` : ""}deno ${args.join(" ")}`);
    if (cli.print) continue;
    const { code, stderr } = await new Deno.Command(Deno.execPath(), {
      args,
      cwd: root,
      stdout: "inherit",
      stderr: "piped",
    })
      .output();
    const errText = new TextDecoder().decode(stderr);
    if (code !== 0) {
      if (isDownloadFailure(errText)) {
        console.error(errText.trim());
        console.error(missingRuntimeMessage(`could not download the Deno runtime for ${target}.`, version, [target]));
      } else {
        console.error(errText);
        console.error(`error: deno compile failed for ${target} (exit ${code}).`);
      }
      return 1;
    }
    console.error(`built ${outputPath(target)}`);
  }
  return 0;
}

if (import.meta.main) Deno.exitCode = await main(Deno.args);
