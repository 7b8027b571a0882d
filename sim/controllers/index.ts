/** Every simulated component, in start order. */
import type { Controller } from "../types.ts";
import { coreControllers } from "./core/index.ts";
import { nodeControllers } from "./node/index.ts";
import { mcoControllers } from "./mco/index.ts";
import { cnoControllers } from "./cno/index.ts";

export function allControllers(): Controller[] {
  return [...coreControllers(), ...nodeControllers(), ...mcoControllers(), ...cnoControllers()];
}
