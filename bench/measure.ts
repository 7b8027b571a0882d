/**
 * Runs a command and measures what a user would feel and what the API server would see: wall time,
 * peak resident memory (the child's VmHWM, sampled from /proc while it runs), and the requests and
 * bytes the simulated API server logged for it.
 */
import type { RequestLog } from "../sim/server/request_log.ts";

export interface Measurement {
  label: string;
  wallMs: number;
  /** Highest peak RSS of any process of the run, in MiB (0 when /proc is not available). */
  peakMiB: number;
  requests: number;
  bytesOut: number;
  exitCodes: number[];
}

async function peakKiB(pid: number): Promise<number> {
  try {
    const status = await Deno.readTextFile(`/proc/${pid}/status`);
    const m = status.match(/VmHWM:\s+(\d+) kB/);
    return m ? Number(m[1]) : 0;
  } catch {
    return 0;
  }
}

export interface Cmd {
  cmd: string;
  args: string[];
  env?: Record<string, string>;
  /** Feed this command's stdout to the next one's stdin (a shell pipeline `a | b`). */
  pipeTo?: Cmd;
}

/** Runs one command (or a two-stage pipeline) to completion; returns its exit codes and peak KiB. */
async function runOne(c: Cmd): Promise<{ codes: number[]; peak: number }> {
  const first = new Deno.Command(c.cmd, {
    args: c.args,
    env: c.env,
    stdout: "piped",
    stderr: "null",
    stdin: "null",
  }).spawn();
  const second = c.pipeTo
    ? new Deno.Command(c.pipeTo.cmd, { args: c.pipeTo.args, stdin: "piped", stdout: "null", stderr: "null" }).spawn()
    : undefined;
  let peak = 0;
  let running = true;
  const sampler = (async () => {
    while (running) {
      peak = Math.max(peak, await peakKiB(first.pid), second ? await peakKiB(second.pid) : 0);
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const drain = second ? first.stdout.pipeTo(second.stdin) : first.stdout.pipeTo(new WritableStream());
  const codes = [(await first.status).code];
  await drain.catch(() => {});
  if (second) codes.push((await second.status).code);
  running = false;
  await sampler;
  return { codes, peak };
}

/** Runs the commands one after the other (as a script would) and measures the whole. */
export async function measure(label: string, log: RequestLog, cmds: Cmd[]): Promise<Measurement> {
  log.clear();
  const start = performance.now();
  let peak = 0;
  const exitCodes: number[] = [];
  for (const c of cmds) {
    const r = await runOne(c);
    peak = Math.max(peak, r.peak);
    exitCodes.push(...r.codes);
  }
  const wallMs = performance.now() - start;
  const s = log.summary();
  return { label, wallMs, peakMiB: peak / 1024, requests: s.total, bytesOut: s.bytesOut, exitCodes };
}

export function formatRow(m: Measurement): string[] {
  return [
    m.label,
    `${(m.wallMs / 1000).toFixed(2)} s`,
    `${m.peakMiB.toFixed(0)} MiB`,
    String(m.requests),
    `${(m.bytesOut / 1024 / 1024).toFixed(1)} MiB`,
  ];
}
