/**
 * `deno task sim --scenario NAME|FILE [--kubeconfig FILE] [--port N] [--time-scale X] [--log]`: serves a
 * simulated cluster until SIGINT/SIGTERM. Prints exactly one JSON line on stdout once serving:
 * {"ready":true,"url":…,"kubeconfig":…,"scenario":…}, plus, for scenarios with a simulated OpenStack,
 * "openstack":{"cloudsYaml":…,"cloud":…,"appCredentialCloud":…,"authUrl":…}. Logs (with --log) go to stderr.
 */
import { parseArgs } from "node:util";
import { startSim } from "./sim.ts";

const USAGE =
  "usage: deno task sim --scenario NAME|FILE [--kubeconfig FILE] [--clouds-yaml FILE] [--port N] [--time-scale X] [--log]";

function usage(message: string): never {
  console.error(`sim: ${message}\n${USAGE}`);
  Deno.exit(2);
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      args: Deno.args,
      options: {
        scenario: { type: "string" },
        kubeconfig: { type: "string" },
        "clouds-yaml": { type: "string" },
        port: { type: "string" },
        "time-scale": { type: "string" },
        log: { type: "boolean", default: false },
        help: { type: "boolean", short: "h", default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    usage((e as Error).message);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.scenario) usage("--scenario is required");
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    usage(`--port must be an integer 0-65535, got ${values.port}`);
  }
  const timeScale = values["time-scale"] === undefined ? 1 : Number(values["time-scale"]);
  if (!(timeScale > 0)) usage(`--time-scale must be a number > 0, got ${values["time-scale"]}`);
  const log = values.log
    ? (component: string, msg: string) => console.error(`${new Date().toISOString()} [${component}] ${msg}`)
    : undefined;

  let sim;
  try {
    sim = await startSim({
      scenario: values.scenario,
      port,
      timeScale,
      kubeconfigPath: values.kubeconfig,
      cloudsYamlPath: values["clouds-yaml"],
      log,
    });
  } catch (e) {
    console.error(`sim: ${(e as Error).message}`);
    Deno.exit(values.scenario && /scenario/.test((e as Error).message) ? 2 : 1);
  }
  const running = sim;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await running.stop();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  Deno.addSignalListener("SIGTERM", stop);
  console.log(JSON.stringify({
    ready: true,
    url: running.url,
    kubeconfig: running.kubeconfigPath,
    scenario: running.ctx.scenario.name,
    // Only scenarios with a cloud: where its clouds.yaml is (credentials stay in that file, never printed).
    ...(running.openstack
      ? {
        openstack: {
          cloudsYaml: running.openstack.cloudsYamlPath,
          cloud: running.openstack.cloudName,
          appCredentialCloud: running.openstack.appCredentialCloudName,
          authUrl: running.openstack.authUrl,
        },
      }
      : {}),
  }));
}

if (import.meta.main) await main();
