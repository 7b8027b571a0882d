/** The simulated Machine Config Operator: render controller, then the per-pool node update controller. */
import type { Controller } from "../../types.ts";
import { NodeUpdateController } from "./rollout.ts";
import { RenderController } from "./render.ts";

export function mcoControllers(): Controller[] {
  return [new RenderController(), new NodeUpdateController()];
}
