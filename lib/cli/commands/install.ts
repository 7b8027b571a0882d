/**
 * `install --dir DIR`: puts oc-ovn-migrate on PATH the way kubectl and oc find plugins. It copies the
 * running binary (or, under `deno run`, writes a launcher script) to DIR/oc-ovn-migrate, links
 * kubectl-ovn_migrate and oc-ovn_migrate to it (copies on Windows), and writes the
 * kubectl_complete-ovn_migrate / oc_complete-ovn_migrate completion helpers. Safe to run again.
 */
import { delimiter, isAbsolute, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { CommandContext, CommandResult, Io } from "../context.ts";
import { type CommandRunner, examples } from "../command.ts";
import type { RootCommand } from "../global_flags.ts";
import { ExitCode } from "../../exit_codes.ts";
import { CliError } from "../../errors.ts";
import { colors, printResult, symbols } from "../output.ts";
import { PERMISSION_FLAGS } from "../../permissions.ts";

export interface InstallOptions {
  dir: string;
}

export function register(root: RootCommand, runner: CommandRunner, io: Io): void {
  root.command("install")
    .summary("put the binary and the oc/kubectl plugin links on PATH")
    .description(
      "Put oc-ovn-migrate on PATH in DIR with the kubectl-ovn_migrate and oc-ovn_migrate links (so " +
        "`oc ovn-migrate` and `kubectl ovn-migrate` work) and the completion helpers. Safe to repeat.",
    )
    .option("--dir <dir>", "where to install", homeDefaultBinDir(io))
    .addHelpText("after", examples(["oc-ovn-migrate install", "sudo oc-ovn-migrate install --dir /usr/local/bin"]))
    .action(async (o) => {
      await runner("install", { dir: o.dir }, run);
    });
}

function homeDefaultBinDir(io: Io): string {
  if (Deno.build.os === "windows") return `${io.env("USERPROFILE") ?? "."}\\bin`;
  return `${io.env("HOME") ?? "."}/.local/bin`;
}

export const BINARY_NAME = "oc-ovn-migrate";
export const PLUGIN_LINKS = ["kubectl-ovn_migrate", "oc-ovn_migrate"] as const;
export const COMPLETION_HELPERS = ["kubectl_complete-ovn_migrate", "oc_complete-ovn_migrate"] as const;

export type Change = "created" | "updated" | "unchanged";

export interface InstallReport {
  dir: string;
  /** "binary" when the compiled binary was copied; "launcher" for a development checkout. */
  kind: "binary" | "launcher";
  entries: { path: string; change: Change; note?: string }[];
  onPath: boolean;
}

/** The completion helper kubectl/oc run for `kubectl ovn-migrate <TAB>` (KEP-2379; Cobra's two-line shim). */
export function completionHelperScript(pluginExecutable: string): string {
  return `#!/bin/sh\n# Shell completion for '${
    pluginExecutable.replace(/-/, " ").replace("_", "-")
  }' (kubectl plugin protocol).\n` +
    `exec ${pluginExecutable} __complete "$@"\n`;
}

function shellQuote(s: string): string {
  return `'${s.replaceAll("'", `'\\''`)}'`;
}

/** The launcher a development checkout installs: runs main.ts with the binary's permissions. */
export function launcherScript(deno: string, repoRoot: string, windows: boolean): string {
  const config = join(repoRoot, "deno.json");
  const main = join(repoRoot, "main.ts");
  if (windows) {
    return `@echo off\r\n"${deno}" run ${PERMISSION_FLAGS.join(" ")} --config "${config}" "${main}" %*\r\n`;
  }
  return [
    "#!/bin/sh",
    "# oc-ovn-migrate launcher for a development checkout (written by `install` under `deno run`).",
    `exec ${shellQuote(deno)} run ${PERMISSION_FLAGS.join(" ")} --config ${shellQuote(config)} ${
      shellQuote(main)
    } "$@"`,
    "",
  ].join("\n");
}

async function readBytes(path: string): Promise<Uint8Array | undefined> {
  try {
    return await Deno.readFile(path);
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return undefined;
    throw err;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Writes through a temporary file and a rename, so a running copy of the old file is never truncated. */
async function writeIfChanged(path: string, data: Uint8Array, mode: number): Promise<Change> {
  const old = await readBytes(path);
  if (old && sameBytes(old, data)) {
    if (Deno.build.os !== "windows") await Deno.chmod(path, mode);
    return "unchanged";
  }
  const tmp = `${path}.tmp-${crypto.randomUUID().slice(0, 8)}`;
  await Deno.writeFile(tmp, data, { mode });
  if (Deno.build.os !== "windows") await Deno.chmod(tmp, mode);
  await Deno.rename(tmp, path);
  return old ? "updated" : "created";
}

async function linkTo(path: string, target: string): Promise<Change> {
  let existed = false;
  try {
    const info = await Deno.lstat(path);
    existed = true;
    if (info.isSymlink && (await Deno.readLink(path)) === target) return "unchanged";
    await Deno.remove(path);
  } catch (err) {
    if (!(err instanceof Deno.errors.NotFound)) throw err;
  }
  await Deno.symlink(target, path);
  return existed ? "updated" : "created";
}

function isOnPath(dir: string, pathEnv: string | undefined): boolean {
  if (!pathEnv) return false;
  const want = resolve(dir);
  return pathEnv.split(delimiter).some((p) => p && resolve(p) === want);
}

/** Does the work; separate from `run` so tests can call it with a fake source. */
export async function install(
  dirArg: string,
  env: (name: string) => string | undefined,
  source: { standalone: boolean; execPath: string; repoRoot: string } = currentSource(),
): Promise<InstallReport> {
  const windows = Deno.build.os === "windows";
  const dir = isAbsolute(dirArg) ? dirArg : resolve(dirArg);
  try {
    await Deno.mkdir(dir, { recursive: true });
  } catch (err) {
    throw new CliError(`cannot create ${dir}: ${(err as Error).message}`, ExitCode.RuntimeError);
  }
  const entries: InstallReport["entries"] = [];
  const exe = windows ? ".exe" : "";
  let main: string;

  if (source.standalone) {
    main = join(dir, BINARY_NAME + exe);
    if (resolve(source.execPath) === resolve(main)) {
      entries.push({ path: main, change: "unchanged", note: "this is the running binary" });
    } else {
      entries.push({ path: main, change: await writeIfChanged(main, await Deno.readFile(source.execPath), 0o755) });
    }
  } else {
    main = join(dir, BINARY_NAME + (windows ? ".cmd" : ""));
    const script = launcherScript(source.execPath, source.repoRoot, windows);
    entries.push({
      path: main,
      change: await writeIfChanged(main, new TextEncoder().encode(script), 0o755),
      note: `launcher for the development checkout ${source.repoRoot} (runs deno; not a standalone binary)`,
    });
  }

  for (const name of PLUGIN_LINKS) {
    if (windows) {
      const path = join(dir, name + (source.standalone ? exe : ".cmd"));
      entries.push({ path, change: await writeIfChanged(path, await Deno.readFile(main), 0o755), note: "copy" });
    } else {
      const path = join(dir, name);
      entries.push({ path, change: await linkTo(path, BINARY_NAME), note: `→ ${BINARY_NAME}` });
    }
  }
  if (!windows) {
    for (const [i, name] of COMPLETION_HELPERS.entries()) {
      const path = join(dir, name);
      const script = new TextEncoder().encode(completionHelperScript(PLUGIN_LINKS[i]));
      entries.push({ path, change: await writeIfChanged(path, script, 0o755), note: "completion helper" });
    }
  }
  return { dir, kind: source.standalone ? "binary" : "launcher", entries, onPath: isOnPath(dir, env("PATH")) };
}

export function currentSource(): { standalone: boolean; execPath: string; repoRoot: string } {
  return {
    standalone: Deno.build.standalone,
    execPath: Deno.execPath(),
    repoRoot: fileURLToPath(new URL("../../../", import.meta.url)).replace(/[\\/]$/, ""),
  };
}

export async function run(ctx: CommandContext, opts: InstallOptions): CommandResult {
  const report = await install(opts.dir, ctx.io.env);
  printResult(ctx.io, ctx.globals.output, report, () => {
    const c = colors(ctx.io);
    const sym = symbols(ctx.io);
    const lines = report.entries.map((e) => {
      const mark = e.change === "unchanged" ? c.dim(sym.ok) : c.green(sym.ok);
      return `${mark} ${e.path} ${c.dim(`(${e.change}${e.note ? `; ${e.note}` : ""})`)}`;
    });
    if (report.kind === "launcher") {
      lines.push(
        `${
          c.yellow(sym.warn)
        } Running under \`deno run\`, so ${BINARY_NAME} is a launcher script, not a copy of a binary.`,
        "  Build the standalone binary with `deno task compile` and run its `install` to ship it.",
      );
    }
    if (!report.onPath) {
      const hint = Deno.build.os === "windows"
        ? `setx PATH "%PATH%;${report.dir}"`
        : `export PATH="${report.dir}:$PATH"`;
      lines.push(`${c.yellow(sym.warn)} ${report.dir} is not on PATH. Add it, e.g.:`, `  ${hint}`);
    } else {
      lines.push(`Now run: oc ovn-migrate --help   (or kubectl ovn-migrate --help)`);
    }
    return lines.join("\n") + "\n";
  });
  return ExitCode.Ok;
}
