import { deepEqual, equal, match, ok } from "node:assert/strict";
import type { GlobalOptions } from "../../lib/cli/context.ts";
import type { ExecuteOptions } from "../../lib/migrate/options.ts";
import type { PreflightOptions } from "../../lib/verify/options.ts";
import type { RollbackOptions } from "../../lib/migrate/options.ts";
import { clearSecrets, redact } from "../../lib/redact.ts";
import { runInProcess } from "./helpers.ts";

type Captured<O> = { opts: O; globals: GlobalOptions };

const BAD_VALUES: [string[], string][] = [
  [["execute", "--method", "live", "--mtu", "abc"], "--mtu"],
  [["execute", "--method", "live", "--mtu", "99999"], "--mtu"],
  [["execute", "--method", "live", "--geneve-port", "70000"], "--geneve-port"],
  [["execute", "--method", "live", "--cluster-network", "10.128.0/14"], "--cluster-network"],
  [["execute", "--method", "live", "--v4-internal-subnet", "fd00::/64"], "--v4-internal-subnet"],
  [["execute", "--method", "live", "--v6-internal-subnet", "10.0.0.0/16"], "--v6-internal-subnet"],
  [["execute", "--method", "live", "--join-subnet", "300.64.0.0/16"], "--join-subnet"],
  [["execute", "--method", "live", "--timeout", "10 minutes"], "--timeout"],
  [["execute", "--method", "live", "--reboot", "ipmi"], "--reboot"],
  [["execute", "--method", "live", "--reboot-batch", "0"], "--reboot-batch"],
  [["execute", "--method", "sideways"], "--method"],
  [["execute"], "--method"],
  [["rollback", "--method", "auto"], "--method"],
  [["rollback", "--method", "live", "--vxlan-port", "x"], "--vxlan-port"],
  [["preflight", "--host-prefix", "200"], "--host-prefix"],
  [["status", "--interval", "soon"], "--interval"],
  [["version", "-o", "table"], "--output"],
  [["version", "--color", "sometimes"], "--color"],
  [["version", "-v", "eleven"], "--v"],
  [["--request-timeout", "5 min", "version"], "--request-timeout"],
  [["execute", "--method", "offline", "--host-prefix", "23"], "--host-prefix"],
];

for (const [argv, flag] of BAD_VALUES) {
  Deno.test(`bad value: ${argv.join(" ")} → exit 2 naming ${flag}`, async () => {
    const r = await runInProcess(argv, { capture: {} });
    equal(r.code, 2, r.stderr);
    ok(r.stderr.includes(flag), r.stderr);
    match(r.stderr, /^error: /m);
    equal(r.stdout, "");
  });
}

Deno.test("unknown command → exit 2 with commander's suggestion", async () => {
  const r = await runInProcess(["exeucte"]);
  equal(r.code, 2);
  match(r.stderr, /unknown command 'exeucte'/);
  match(r.stderr, /Did you mean execute\?/);
});

Deno.test("unknown flag → exit 2 with a suggestion", async () => {
  const r = await runInProcess(["execute", "--method", "live", "--dryrun"]);
  equal(r.code, 2);
  match(r.stderr, /unknown option '--dryrun'/);
  match(r.stderr, /Did you mean --dry-run\?/);
});

Deno.test("execute: every flag reaches ExecuteOptions, typed and validated", async () => {
  const capture: Record<string, unknown> = {};
  const r = await runInProcess([
    "execute",
    "--method=offline",
    "--dry-run",
    "--yes",
    "--timeout",
    "90",
    "--skip-check",
    "etcd-backup",
    "--skip-check=mtu,pdb",
    "--no-egress-ip",
    "--no-multicast",
    "--mtu",
    "1400",
    "--geneve-port",
    "6082",
    "--v4-internal-subnet",
    "100.66.0.0/16",
    "--v6-internal-subnet",
    "fd99::/64",
    "--join-subnet",
    "100.70.0.0/16",
    "--transit-subnet",
    "100.90.0.0/16",
    "--fix-subnets",
    "--cluster-network",
    "10.132.0.0/14",
    "--host-prefix",
    "23",
    "--reboot",
    "ssh",
    "--ssh-user",
    "core",
    "--ssh-key",
    "/k",
    "--reboot-batch",
    "all",
    "--allow-all-masters",
    "--delete-nncp",
    "--delete-egress-router-pods",
    "--managed-platform-ack",
    "--backup-dir",
    "/b",
    "--etcd-backup-confirmed",
  ], { capture });
  equal(r.code, 0, r.stderr);
  const got = capture.execute as Captured<ExecuteOptions>;
  const want: ExecuteOptions = {
    method: "offline",
    dryRun: true,
    yes: true,
    timeoutMs: 90_000,
    skipChecks: ["etcd-backup", "mtu", "pdb"],
    egressIp: false,
    egressFirewall: true,
    multicast: false,
    mtu: 1400,
    genevePort: 6082,
    v4InternalSubnet: "100.66.0.0/16",
    v6InternalSubnet: "fd99::/64",
    joinSubnet: "100.70.0.0/16",
    transitSubnet: "100.90.0.0/16",
    fixSubnets: true,
    clusterNetwork: "10.132.0.0/14",
    hostPrefix: 23,
    reboot: "ssh",
    sshUser: "core",
    sshKey: "/k",
    rebootBatch: "all",
    allowAllMasters: true,
    deleteNncp: true,
    deleteEgressRouterPods: true,
    managedPlatformAck: true,
    backupDir: "/b",
    etcdBackupConfirmed: true,
  };
  deepEqual(got.opts, want);
});

Deno.test("execute defaults", async () => {
  const capture: Record<string, unknown> = {};
  await runInProcess(["execute", "--method", "live"], { capture });
  const o = (capture.execute as Captured<ExecuteOptions>).opts;
  equal(o.timeoutMs, 3_600_000);
  equal(o.reboot, "exec");
  equal(o.rebootBatch, undefined);
  equal(o.egressIp, true);
  equal(o.dryRun, false);
  equal(o.backupDir, ".ovn-migrate/backup");
  deepEqual(o.skipChecks, []);
});

Deno.test("preflight options and defaults", async () => {
  const capture: Record<string, unknown> = {};
  const r = await runInProcess(
    ["preflight", "--only", "mtu", "--only", "cidr-overlap", "--facts", "f.json", "--mtu", "1450"],
    { capture },
  );
  equal(r.code, 0, r.stderr);
  const o = (capture.preflight as Captured<PreflightOptions>).opts;
  equal(o.method, "auto");
  deepEqual(o.onlyChecks, ["mtu", "cidr-overlap"]);
  deepEqual(o.skipChecks, []);
  equal(o.facts, "f.json");
  equal(o.mtu, 1450);
  equal(o.etcdBackupConfirmed, false);
});

Deno.test("rollback options", async () => {
  const capture: Record<string, unknown> = {};
  await runInProcess(["rollback", "--method", "offline", "--vxlan-port", "4790", "--reboot-batch", "3"], { capture });
  const o = (capture.rollback as Captured<RollbackOptions>).opts;
  equal(o.method, "offline");
  equal(o.vxlanPort, 4790);
  equal(o.rebootBatch, 3);
  equal(o.timeoutMs, 3_600_000);
});

Deno.test("global flags work before and after the command, kubectl style", async () => {
  clearSecrets();
  const capture: Record<string, unknown> = {};
  const r = await runInProcess([
    "--kubeconfig",
    "/kc",
    "-v=6",
    "status",
    "--context",
    "ctx",
    "--as-group",
    "a",
    "--as-group",
    "b",
    "-o",
    "json",
    "--insecure-skip-tls-verify=true",
    "--request-timeout",
    "30s",
    "-s",
    "https://api:6443",
    "--token",
    "sha256~secret-token-value",
    "--watch",
  ], { capture });
  equal(r.code, 0, r.stderr);
  const { globals, opts } = capture.status as Captured<{ watch: boolean; intervalMs: number }>;
  equal(globals.kubeconfig, "/kc");
  equal(globals.context, "ctx");
  equal(globals.verbose, 6);
  deepEqual(globals.asGroup, ["a", "b"]);
  equal(globals.output, "json");
  equal(globals.insecureSkipTlsVerify, true);
  equal(globals.requestTimeout, "30s");
  equal(globals.server, "https://api:6443");
  equal(opts.watch, true);
  equal(opts.intervalMs, 30_000);
  // A token given on the command line is registered for redaction.
  equal(redact("token sha256~secret-token-value"), "token [REDACTED]");
  clearSecrets();
});

Deno.test("-v forms: -v 4, -v4, --v=4, --v 4", async () => {
  for (const form of [["-v", "4"], ["-v4"], ["--v=4"], ["--v", "4"], ["-v=4"]]) {
    const capture: Record<string, unknown> = {};
    await runInProcess(["version", ...form], { capture });
    equal((capture.version as Captured<unknown>).globals.verbose, 4, form.join(" "));
  }
});

Deno.test("--insecure-skip-tls-verify=false leaves it off", async () => {
  const capture: Record<string, unknown> = {};
  await runInProcess(["version", "--insecure-skip-tls-verify=false"], { capture });
  equal((capture.version as Captured<unknown>).globals.insecureSkipTlsVerify, false);
});
