/** A CommandContext with captured stdout/stderr and an injectable cluster. */
import type { CommandContext, GlobalOptions, Io, OutputFormat } from "../../lib/cli/context.ts";
import type { Kube } from "../../lib/kube/types.ts";

export interface Captured {
  ctx: CommandContext;
  out: () => string;
  err: () => string;
  connects: () => number;
}

export function fakeContext(
  opts: { output?: OutputFormat; color?: boolean; tty?: boolean; kube?: () => Promise<Kube> } = {},
): Captured {
  let out = "";
  let err = "";
  let connects = 0;
  const io: Io = {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    stdoutIsTTY: opts.tty ?? false,
    stdinIsTTY: false,
    columns: opts.tty ? 120 : 0,
    color: opts.color ?? false,
    env: () => undefined,
    environment: () => ({}),
  };
  const globals: GlobalOptions = { verbose: 0, output: opts.output ?? "human", color: opts.color ? "always" : "never" };
  const ctx: CommandContext = {
    globals,
    io,
    log: { debug: () => {} },
    connect: () => {
      connects++;
      if (!opts.kube) return Promise.reject(new Error("no cluster in this test"));
      return opts.kube();
    },
  };
  return { ctx, out: () => out, err: () => err, connects: () => connects };
}
