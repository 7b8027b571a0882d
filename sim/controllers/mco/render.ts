/**
 * MCO operator + template + render controllers (cluster-behaviour.md §0 "MCO chain"): builds the
 * ControllerConfig inputs from network.config **status** only, renders 00-<role> (and the other base
 * MachineConfigs), merges each pool's MachineConfigs into `rendered-<pool>-<md5>` and points
 * `MCP.spec.configuration` at it. A change re-renders after timings.mcoRenderSeconds; identical inputs give the
 * identical rendered name, so no rollout.
 */
import { createHash } from "node:crypto";
import type { TimerId } from "../../clock.ts";
import type { Obj, StoreEvent } from "../../store.ts";
import type { Controller, SimContext } from "../../types.ts";
import { matchesSelector, NETWORK_CONFIG } from "../node/keys.ts";
import {
  type ControllerConfigInputs,
  controllerConfigInputs,
  mergeConfigs,
  templateMachineConfigs,
} from "./ignition.ts";
import { CONTROLLER_VERSION, GENERATED_BY, MACHINE_CONFIGS, POOLS, RELEASE_IMAGE_VERSION, ROLE_LABEL } from "./keys.ts";

const OS_IMAGE = "quay.io/openshift-release-dev/ocp-v4.0-art-dev@sha256:" +
  "4f1a5a2b0e6f1c3d9b8a7e6d5c4b3a2918f7e6d5c4b3a29180f7e6d5c4b3a291";

export function currentInputs(ctx: SimContext): ControllerConfigInputs {
  const nc = ctx.store.hasDef(NETWORK_CONFIG) ? ctx.store.get(NETWORK_CONFIG, undefined, "cluster") : undefined;
  return controllerConfigInputs(nc, ctx.scenario.network.type);
}

export class RenderController implements Controller {
  readonly name = "machine-config-controller-render";
  #ctx!: SimContext;
  #unsubscribe?: () => void;
  #timer: TimerId | undefined;
  #rendering = false;
  #lastInputs = "";

  start(ctx: SimContext): void {
    this.#ctx = ctx;
    if (!ctx.store.hasDef(POOLS) || !ctx.store.hasDef(MACHINE_CONFIGS)) return;
    this.render();
    this.#unsubscribe = ctx.store.subscribe((e) => this.#onEvent(e));
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#ctx?.clock.cancel(this.#timer);
  }

  #onEvent(e: StoreEvent): void {
    if (this.#rendering) return;
    if (e.key === NETWORK_CONFIG) {
      if (JSON.stringify(currentInputs(this.#ctx)) !== this.#lastInputs) this.#schedule();
    } else if (e.key === MACHINE_CONFIGS) {
      if (!e.object.metadata.name.startsWith("rendered-")) this.#schedule();
    } else if (e.key === POOLS) {
      // A new pool, or a changed selector, renders at once; a pool whose configuration was cleared too.
      const p = e.object;
      if (e.type === "ADDED" || (e.type === "MODIFIED" && !p.spec?.configuration?.name)) this.render();
    }
  }

  /** One pending render at a time; it reads the inputs when it fires. */
  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#timer = this.#ctx.clock.after(this.#ctx.scenario.timings.mcoRenderSeconds * 1000, () => {
      this.#timer = undefined;
      this.render();
    });
  }

  /** Renders every pool now. */
  render(): void {
    const ctx = this.#ctx;
    this.#rendering = true;
    try {
      const inputs = currentInputs(ctx);
      this.#lastInputs = JSON.stringify(inputs);
      for (const role of ["master", "worker"]) {
        for (const mc of templateMachineConfigs(role, inputs)) this.#applyMachineConfig(mc);
      }
      const all = ctx.store.all(MACHINE_CONFIGS).filter((mc) => !mc.metadata.name.startsWith("rendered-"));
      for (const pool of ctx.store.all(POOLS)) this.#renderPool(pool, all);
      ctx.log("mco", `rendered for ${inputs.networkType}${inputs.mtuMigration ? " with MTU migration" : ""}`);
    } finally {
      this.#rendering = false;
    }
  }

  #applyMachineConfig(mc: Obj): void {
    const store = this.#ctx.store;
    const old = store.get(MACHINE_CONFIGS, undefined, mc.metadata.name);
    if (old && JSON.stringify(old.spec) === JSON.stringify(mc.spec)) return;
    if (!old) store.create(MACHINE_CONFIGS, mc);
    else {store.update(MACHINE_CONFIGS, {
        ...old,
        spec: mc.spec,
        metadata: { ...old.metadata, resourceVersion: undefined },
      });}
  }

  #renderPool(pool: Obj, configs: Obj[]): void {
    const store = this.#ctx.store;
    const name = pool.metadata.name;
    const selector = pool.spec?.machineConfigSelector ?? { matchLabels: { [ROLE_LABEL]: name } };
    let selected = configs.filter((mc) => matchesSelector(mc.metadata.labels, selector));
    if (!selected.length) selected = configs.filter((mc) => mc.metadata.labels?.[ROLE_LABEL] === "worker");
    selected.sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const spec = mergeConfigs(selected, OS_IMAGE);
    const hash = createHash("md5").update(JSON.stringify(spec)).digest("hex");
    const renderedName = `rendered-${name}-${hash}`;
    if (!store.get(MACHINE_CONFIGS, undefined, renderedName)) {
      store.create(MACHINE_CONFIGS, {
        metadata: {
          name: renderedName,
          annotations: {
            [GENERATED_BY]: CONTROLLER_VERSION,
            [RELEASE_IMAGE_VERSION]: this.#ctx.scenario.version,
          },
          ownerReferences: [{
            apiVersion: "machineconfiguration.openshift.io/v1",
            kind: "MachineConfigPool",
            name,
            uid: pool.metadata.uid,
            controller: true,
            blockOwnerDeletion: true,
          }],
        },
        spec,
      });
    }
    const configuration = {
      name: renderedName,
      source: selected.map((mc) => ({
        apiVersion: "machineconfiguration.openshift.io/v1",
        kind: "MachineConfig",
        name: mc.metadata.name,
      })),
    };
    if (JSON.stringify(pool.spec?.configuration) === JSON.stringify(configuration)) return;
    store.mutate(POOLS, undefined, name, (p) => {
      p.spec = { ...(p.spec ?? {}), configuration };
    });
  }
}
