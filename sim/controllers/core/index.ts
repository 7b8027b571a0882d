/** kube-controller-manager's part of the simulation: namespace lifecycle and garbage collection. */
import type { Controller } from "../../types.ts";
import { GarbageCollector } from "./garbage_collector.ts";
import { NamespaceController } from "./namespace.ts";

export function coreControllers(): Controller[] {
  return [new NamespaceController(), new GarbageCollector()];
}
