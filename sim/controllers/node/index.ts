/** The node side of the simulated cluster: kubelets, DaemonSet/Deployment controllers, MCD exec. */
import type { Controller } from "../../types.ts";
import { KubeletController } from "./kubelet.ts";
import { McdExecController } from "./mcd_exec.ts";
import { WorkloadsController } from "./workloads.ts";

export { rebootNode } from "./reboot.ts";

export function nodeControllers(): Controller[] {
  return [new KubeletController(), new WorkloadsController(), new McdExecController()];
}
