/** Scaffold: replaced by the mco controllers. */
import type { Controller } from "../../types.ts";

export function mcoControllers(): Controller[] {
  return [];
}
