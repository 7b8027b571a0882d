/**
 * Builds the CommandContext a command receives. The Kubernetes client is loaded only when a command
 * calls `connect()` (it costs ~0.7 s to import), so --help, version and completion stay fast.
 */
import type { CommandContext, GlobalOptions, Io, Logger } from "./context.ts";
import type { Kube } from "../kube/types.ts";
import { createLogger } from "./logger.ts";

export type Connector = (globals: GlobalOptions, log: Logger) => Promise<Kube>;

async function connectLazily(globals: GlobalOptions, log: Logger): Promise<Kube> {
  const mod = await import("../kube/connect.ts");
  return await mod.connect(globals, log);
}

export function makeContext(globals: GlobalOptions, io: Io, connector: Connector = connectLazily): CommandContext {
  const log = createLogger(globals.verbose, io);
  let kube: Promise<Kube> | undefined;
  return {
    globals,
    io,
    log,
    connect() {
      // One connection per run; a failed attempt is not cached so a caller may retry.
      kube ??= connector(globals, log).catch((err) => {
        kube = undefined;
        throw err;
      });
      return kube;
    },
  };
}
