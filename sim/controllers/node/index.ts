/** Scaffold: replaced by the kubelet, workload and node-reboot controllers. */
import type { Controller } from "../../types.ts";

export function nodeControllers(): Controller[] {
  return [];
}
