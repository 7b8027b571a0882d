/**
 * The clouds.yaml the simulator writes for its cloud (openstacksdk's format, procedures.md §4): a password
 * cloud (project by name), an application-credential cloud, and a non-admin member's password cloud, each
 * with `cacert` pointing at the simulator's CA. Written with mode 0600: it holds passwords and secrets.
 */
import { dump } from "js-yaml";

export interface CloudsYamlInput {
  authUrl: string;
  caFile: string;
  region: string;
  clouds: {
    name: string;
    auth: Record<string, string>;
    authType: "password" | "v3applicationcredential";
  }[];
}

export function cloudsYaml(input: CloudsYamlInput): string {
  const clouds: Record<string, unknown> = {};
  for (const c of input.clouds) {
    clouds[c.name] = {
      auth_type: c.authType,
      auth: { auth_url: input.authUrl, ...c.auth },
      region_name: input.region,
      interface: "public",
      identity_api_version: 3,
      cacert: input.caFile,
    };
  }
  return "# Written by the oc-ovn-migrate simulator for its simulated OpenStack. Holds credentials: mode 0600.\n" +
    dump({ clouds }, { lineWidth: -1 });
}

/** Writes the file (and its directory) with mode 0600. */
export async function writeCloudsYaml(path: string, text: string): Promise<void> {
  await Deno.writeTextFile(path, text, { mode: 0o600 });
  await Deno.chmod(path, 0o600);
}
