/** Scaffold: replaced by the cno controllers. */
import type { Controller } from "../../types.ts";

export function cnoControllers(): Controller[] {
  return [];
}
