/**
 * The OpenStack cloud a command works with, connected on first use from `--os-cloud`/`--os-cluster-credentials`
 * and the environment (OS_*, clouds.yaml in the working and home directories). Its waits follow the time scale a
 * rehearsal against the simulator runs at.
 */
import type { Kube } from "../kube/types.ts";
import type { OpenStackOptions } from "../migrate/options.ts";
import type { OpenStackClient } from "../openstack/client.ts";
import { sleep } from "../sleep.ts";
import type { CommandContext } from "./context.ts";

export function openstackAccess(
  ctx: CommandContext,
  opts: OpenStackOptions,
  kube: Pick<Kube, "get"> | undefined,
  timeScale: number,
  signal?: AbortSignal,
): () => Promise<OpenStackClient> {
  let client: Promise<OpenStackClient> | undefined;
  return () => {
    client ??= import("../openstack/connect.ts").then(({ connectOpenStack }) =>
      connectOpenStack(
        opts,
        {
          env: ctx.io.environment(),
          home: ctx.io.env("HOME") ?? ctx.io.env("USERPROFILE"),
          cwd: Deno.cwd(),
          logger: ctx.log,
          sleep: (ms, s) => sleep(ms / timeScale, s),
          signal,
        },
        kube,
      )
    ).catch((e) => {
      client = undefined;
      throw e;
    });
    return client;
  };
}
