/** Scaffold: replaced by the core controllers. */
import type { Controller } from "../../types.ts";

export function coreControllers(): Controller[] {
  return [];
}
