/**
 * `oc rsh`/`kubectl exec` into a machine-config-daemon pod: `chroot /rootfs shutdown -r +N|now` and
 * `chroot /rootfs systemctl reboot` schedule a real reboot of that pod's node (procedures.md §5 step 12).
 * faults.mcdExecFailures makes the first N attempts per node fail, as a flaky dbus connection does.
 * Anything else is left to other handlers (127).
 */
import type { Controller, ExecRequest, ExecResult, SimContext } from "../../types.ts";
import { controllerOf, MCD_DAEMONSET, MCD_NAMESPACE } from "./keys.ts";
import { cancelReboot, rebootNode } from "./reboot.ts";
import { nodeRuntime } from "./runtime.ts";

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

/** systemd's timestamp format: `Mon 2026-11-23 15:03:00 UTC`. */
function systemdDate(ms: number): string {
  const d = new Date(ms);
  const iso = d.toISOString();
  return `${DAYS[d.getUTCDay()]} ${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;
}

/** The argv after an optional `sh -c` wrapper and `chroot /rootfs`. */
function hostCommand(command: string[]): string[] | undefined {
  let argv = command;
  if (
    (argv[0] === "sh" || argv[0] === "bash" || argv[0] === "/bin/sh" || argv[0] === "/bin/bash") && argv[1] === "-c"
  ) {
    argv = (argv[2] ?? "").trim().split(/\s+/);
  }
  if (argv[0] !== "chroot" && argv[0] !== "/usr/sbin/chroot") return undefined;
  if (argv[1] !== "/rootfs" && argv[1] !== "/rootfs/") return undefined;
  return argv.slice(2);
}

/** Delay in minutes for a reboot command, or undefined when it is not one. */
function rebootDelayMinutes(argv: string[]): number | undefined | "bad" {
  const bin = (argv[0] ?? "").replace(/^\/usr\/s?bin\//, "").replace(/^\/s?bin\//, "");
  if (bin === "reboot" && argv.length === 1) return 0;
  if (bin === "systemctl" && argv[1] === "reboot") return 0;
  if (bin !== "shutdown") return undefined;
  const args = argv.slice(1);
  if (!args.includes("-r") && !args.includes("--reboot")) return undefined;
  const when = args.find((a) => !a.startsWith("-"));
  if (when === undefined) return 1; // systemd's default is one minute
  if (when === "now") return 0;
  const m = /^\+?(\d+)$/.exec(when);
  return m ? Number(m[1]) : "bad";
}

export class McdExecController implements Controller {
  readonly name = "machine-config-daemon-exec";
  #active = false;

  start(ctx: SimContext): void {
    this.#active = true;
    ctx.exec.register((req) => this.#active ? this.#handle(ctx, req) : undefined);
  }

  stop(): void {
    this.#active = false;
  }

  #handle(ctx: SimContext, req: ExecRequest): ExecResult | undefined {
    const pod = req.pod;
    if (pod.metadata?.namespace !== MCD_NAMESPACE) return undefined;
    const owner = controllerOf(pod);
    if (
      !(owner?.kind === "DaemonSet" && owner.name === MCD_DAEMONSET) && !pod.metadata.name.startsWith(MCD_DAEMONSET)
    ) {
      return undefined;
    }
    if (req.container && req.container !== "machine-config-daemon") return undefined;
    const argv = hostCommand(req.command);
    if (!argv) return undefined;
    if (/(^|\/)shutdown$/.test(argv[0] ?? "") && argv[1] === "-c") {
      const node = pod.spec?.nodeName;
      if (node) cancelReboot(ctx, node);
      return { exitCode: 0 };
    }
    const minutes = rebootDelayMinutes(argv);
    if (minutes === undefined) return undefined;
    if (minutes === "bad") {
      return { stderr: `Failed to parse time specification: ${argv[argv.length - 1]}\n`, exitCode: 1 };
    }
    const node = pod.spec?.nodeName;
    if (!node) return { stderr: "Failed to connect to bus: No such file or directory\n", exitCode: 1 };
    const rt = nodeRuntime(ctx);
    const failed = rt.mcdFailures.get(node) ?? 0;
    if (failed < ctx.scenario.faults.mcdExecFailures) {
      rt.mcdFailures.set(node, failed + 1);
      return { stderr: "Failed to connect to bus: Connection timed out\n", exitCode: 1 };
    }
    const delaySeconds = minutes * ctx.scenario.timings.shutdownMinuteSeconds;
    rebootNode(ctx, node, { delaySeconds });
    if (argv[0].endsWith("shutdown") && minutes > 0) {
      const at = ctx.clock.now() + delaySeconds * 1000;
      return { stderr: `Shutdown scheduled for ${systemdDate(at)}, use 'shutdown -c' to cancel.\n`, exitCode: 0 };
    }
    return { exitCode: 0 };
  }
}
