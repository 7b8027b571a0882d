/**
 * Runs the plugin as users run it: a subprocess of main.ts with the compiled binary's permissions and
 * a kubeconfig pointing at the simulated cluster. Optionally kills it with SIGKILL when its stderr
 * shows a given line (to prove resumption).
 */
import { PERMISSION_FLAGS } from "../../lib/permissions.ts";

const MAIN = new URL("../../main.ts", import.meta.url).pathname;

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** The run was killed because `killWhen` matched. */
  killed: boolean;
}

export interface CliOptions {
  kubeconfig: string;
  /** The simulator's time scale, so the tool's fixed waits shrink alike. */
  timeScale?: number;
  env?: Record<string, string>;
  /** SIGKILL the process once stderr matches (after `killDelayMs`). */
  killWhen?: RegExp;
  killDelayMs?: number;
}

export async function runCli(args: string[], opts: CliOptions): Promise<CliRun> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...PERMISSION_FLAGS, MAIN, ...args],
    env: {
      KUBECONFIG: opts.kubeconfig,
      NO_COLOR: "1",
      OVN_MIGRATE_TIME_SCALE: String(opts.timeScale ?? 1),
      ...opts.env,
    },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let stdout = "";
  let stderr = "";
  let killed = false;
  const dec = () => new TextDecoder();
  const readOut = (async () => {
    const d = dec();
    for await (const chunk of child.stdout) stdout += d.decode(chunk, { stream: true });
  })();
  const readErr = (async () => {
    const d = dec();
    for await (const chunk of child.stderr) {
      stderr += d.decode(chunk, { stream: true });
      if (!killed && opts.killWhen?.test(stderr)) {
        killed = true;
        setTimeout(() => {
          try {
            child.kill("SIGKILL");
          } catch { /* already gone */ }
        }, opts.killDelayMs ?? 0);
      }
    }
  })();
  const status = await child.status;
  await Promise.all([readOut, readErr]);
  return { code: status.code, stdout, stderr, killed };
}
