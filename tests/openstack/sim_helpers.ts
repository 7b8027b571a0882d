/** Shared set-up for the tests against the simulated OpenStack (sim/openstack, scenario kuryr-4.14). */
import { startSim } from "../../sim/sim.ts";
import { loadScenario } from "../../sim/scenario/load.ts";
import type { OpenStackFaultSpec } from "../../sim/scenario/schema.ts";
import type { SimOpenStack } from "../../sim/openstack/mod.ts";
import { discoverCloud } from "../../lib/openstack/clouds_yaml.ts";
import type { CloudConfig } from "../../lib/openstack/cloud_config.ts";
import { createOpenStackClient, type OpenStackClientOptions, readTlsMaterial } from "../../lib/openstack/client.ts";
import { sleep as realSleep } from "../../lib/sleep.ts";
import { createTransport, type Transport, type TransportRequest } from "../../lib/openstack/transport.ts";

export const TIME_SCALE = 50;

/** A running simulator of scenario kuryr-4.14 (with these OpenStack faults from the start), stopped after `fn`. */
export async function withKuryrSim(
  fn: (os: SimOpenStack) => Promise<void>,
  faults: Partial<OpenStackFaultSpec> = {},
): Promise<void> {
  const scenario = await loadScenario("kuryr-4.14");
  if (scenario.openstack) Object.assign(scenario.openstack.faults, faults);
  const sim = await startSim({ scenario, timeScale: TIME_SCALE });
  try {
    if (!sim.openstack) throw new Error("scenario kuryr-4.14 has no OpenStack side");
    await fn(sim.openstack);
  } finally {
    await sim.stop();
  }
}

/** A cloud of the simulator's clouds.yaml, found the way the product finds it. */
export function simCloud(os: SimOpenStack, name = os.cloudName): CloudConfig {
  return discoverCloud({
    env: { OS_CLIENT_CONFIG_FILE: os.cloudsYamlPath },
    cwd: "/nonexistent",
    home: "/nonexistent",
    systemDirs: [],
    cloudName: name,
  }).cloud;
}

/** A clouds.yaml of our own (mode 0600) in a temporary directory; returns its directory. */
export async function writeClouds(files: Record<string, string>): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "os-clouds-" });
  for (const [name, text] of Object.entries(files)) await Deno.writeTextFile(`${dir}/${name}`, text, { mode: 0o600 });
  return dir;
}

/** Waits as the simulator's clock runs: the product scales its sleeps the same way in rehearsals. */
export const scaledSleep = (ms: number, signal?: AbortSignal) => realSleep(ms / TIME_SCALE, signal);

/** The real transport, recording every token Keystone hands out and calling `after` on every answer. */
export class RecordingTransport implements Transport {
  readonly kind = "fetch" as const;
  readonly tokens: string[] = [];
  after?: (req: TransportRequest, status: number) => void;

  constructor(private readonly inner: Transport) {}

  async send(req: TransportRequest) {
    const answer = await this.inner.send(req);
    const token = answer.headers.get("x-subject-token");
    if (token) this.tokens.push(token);
    this.after?.(req, answer.status);
    return answer;
  }

  close(): void {
    this.inner.close();
  }
}

export async function recordingClient(cloud: CloudConfig, opts: OpenStackClientOptions = {}) {
  const transport = new RecordingTransport(createTransport(await readTlsMaterial(cloud)));
  const client = await createOpenStackClient(cloud, { sleep: scaledSleep, ...opts, transport });
  return { client, transport };
}
