/** The step engine on fake steps: record, resume, skip, confirmation, and the stop message. */
import assert from "node:assert/strict";
import { type EngineUi, runSteps } from "../../lib/migrate/engine.ts";
import { Progress } from "../../lib/migrate/progress.ts";
import type { Step, StepContext } from "../../lib/migrate/step.ts";
import type { Kube, KubeObject } from "../../lib/kube/types.ts";
import { BlockedError, CliError } from "../../lib/errors.ts";
import { ExitCode } from "../../lib/exit_codes.ts";

/** A ConfigMap store of one object: enough for the progress record. */
function fakeKube() {
  let cm: KubeObject | undefined;
  const kube = {
    get: () => Promise.resolve(cm),
    create: (_r: unknown, o: KubeObject) =>
      Promise.resolve(cm = { ...o, metadata: { ...o.metadata, resourceVersion: "1" } }),
    replace: (_r: unknown, o: KubeObject) => Promise.resolve(cm = o),
    delete: () => Promise.resolve(true),
  } as unknown as Kube;
  return { kube, stored: () => cm };
}

function step(
  id: string,
  log: string[],
  opts: Partial<Step<unknown>> & { effect?: () => boolean } = {},
): Step<unknown> {
  let applied = false;
  return {
    id,
    title: `step ${id}`,
    disruptive: false,
    done: () => Promise.resolve(opts.effect ? opts.effect() : applied),
    plan: () => Promise.resolve([{ command: `oc do ${id}` }]),
    apply: () => {
      applied = true;
      log.push(`apply ${id}`);
      return Promise.resolve();
    },
    verify: () => {
      log.push(`verify ${id}`);
      return Promise.resolve();
    },
    ...opts,
  };
}

function ui(answer: boolean, seen: string[] = []): EngineUi {
  return {
    confirm: (q) => {
      seen.push(q);
      return Promise.resolve(answer);
    },
    stepDone: (s, outcome) => seen.push(`${s.id}:${outcome}`),
    stepStarting: () => {},
    planned: (s, state, calls) => seen.push(`plan ${s.id}:${state}:${calls.length}`),
  };
}

async function context(kube: Kube, dryRun = false): Promise<StepContext<unknown>> {
  const progress = await Progress.load(kube, {
    operation: "migrate",
    method: "offline",
    from: "OpenShiftSDN",
    to: "OVNKubernetes",
    version: "test",
    dryRun,
  });
  return { kube, options: {}, progress, report: () => {}, note: () => {}, signal: new AbortController().signal };
}

const engineOpts = { dryRun: false, resumeCommand: "oc ovn-migrate execute --method offline", confirmQuestion: "go?" };

Deno.test("steps are applied, verified and recorded; a second run applies nothing", async () => {
  const { kube, stored } = fakeKube();
  const log: string[] = [];
  const steps = [step("a", log), step("b", log)];
  await runSteps(steps, await context(kube), ui(true), engineOpts);
  assert.deepEqual(log, ["apply a", "verify a", "apply b", "verify b"]);
  const record = JSON.parse(stored()!.data["progress.json"]);
  assert.deepEqual(Object.keys(record.steps), ["a", "b"]);
  const seen: string[] = [];
  await runSteps(steps, await context(kube), ui(true, seen), engineOpts);
  assert.deepEqual(log.length, 4, "nothing applied again");
  assert.deepEqual(seen, ["a:recorded-earlier", "b:recorded-earlier"]);
});

Deno.test("a step whose effect the cluster already shows is verified and recorded, not applied", async () => {
  const { kube } = fakeKube();
  const log: string[] = [];
  const seen: string[] = [];
  await runSteps(
    [step("flip", log, { disruptive: true, effect: () => true })],
    await context(kube),
    ui(false, seen),
    engineOpts,
  );
  assert.deepEqual(log, ["verify flip"]);
  assert.deepEqual(seen, ["flip:already-in-effect"], "no confirmation asked for a step already in effect");
});

Deno.test("declining the confirmation stops before the first disruptive step, with how to resume", async () => {
  const { kube } = fakeKube();
  const log: string[] = [];
  const steps = [
    step("backup", log),
    step("set-migration", log, { disruptive: true }),
    step("flip", log, { disruptive: true }),
  ];
  await assert.rejects(runSteps(steps, await context(kube), ui(false), engineOpts), (e: unknown) => {
    assert.ok(e instanceof CliError);
    assert.match(e.message, /Stopped before "step set-migration": you declined\. Nothing disruptive was done\./);
    assert.match(e.hint!, /oc ovn-migrate execute --method offline/);
    return true;
  });
  assert.deepEqual(log, ["apply backup", "verify backup"]);
});

Deno.test("one confirmation covers every disruptive step of the run", async () => {
  const { kube } = fakeKube();
  const seen: string[] = [];
  const log: string[] = [];
  const steps = [step("x", log, { disruptive: true }), step("y", log, { disruptive: true })];
  await runSteps(steps, await context(kube), ui(true, seen), engineOpts);
  assert.equal(seen.filter((s) => s === "go?").length, 1);
});

Deno.test("a stop keeps the step's exit code and diagnosis and adds that running again resumes", async () => {
  const { kube } = fakeKube();
  const failing = step("wait", [], {
    verify: () => Promise.reject(new BlockedError("pool worker is degraded", "read the daemon's log")),
  });
  await assert.rejects(runSteps([failing], await context(kube), ui(true), engineOpts), (e: unknown) => {
    assert.ok(e instanceof CliError);
    assert.equal(e.exitCode, ExitCode.Failed);
    assert.match(e.message, /Step "step wait" stopped: pool worker is degraded/);
    assert.match(e.hint!, /read the daemon's log\nRunning `oc ovn-migrate execute --method offline` again resumes/);
    return true;
  });
});

Deno.test("dry run: plans pending steps, reports skipped ones, writes no progress", async () => {
  const { kube, stored } = fakeKube();
  const seen: string[] = [];
  const log: string[] = [];
  const steps = [step("a", log), step("b", log, { skip: () => Promise.resolve("not needed") })];
  await runSteps(steps, await context(kube, true), ui(true, seen), { ...engineOpts, dryRun: true });
  assert.deepEqual(seen, ["plan a:pending:1", "plan b:skipped:0"]);
  assert.deepEqual(log, []);
  assert.equal(stored(), undefined, "no progress record written");
});
