import { equal, match, ok } from "node:assert/strict";
import { EXIT_CODE_TABLE } from "../../lib/exit_codes.ts";
import { runInProcess } from "./helpers.ts";

const COMMANDS = ["preflight", "execute", "status", "cleanup", "rollback", "version", "completion", "install"];
const GLOBAL_FLAGS = [
  "--kubeconfig",
  "--context",
  "--cluster",
  "--user",
  "-s, --server",
  "--token",
  "--certificate-authority",
  "--insecure-skip-tls-verify",
  "--as <user>",
  "--as-group",
  "--request-timeout",
  "-v, --v",
  "-o, --output",
  "--color",
];

Deno.test("root --help lists every command, every global flag and the exit-code table", async () => {
  const r = await runInProcess(["--help"]);
  equal(r.code, 0);
  equal(r.stderr, "");
  for (const c of COMMANDS) match(r.stdout, new RegExp(`^  ${c}\\b`, "m"), c);
  for (const f of GLOBAL_FLAGS) ok(r.stdout.includes(f), f);
  for (const [code, text] of EXIT_CODE_TABLE) ok(r.stdout.includes(`${code}  ${text}`), `exit code ${code}`);
  ok(r.stdout.includes("oc ovn-migrate execute --method live"), "examples use oc ovn-migrate");
});

Deno.test("no arguments prints help on stderr and exits 2", async () => {
  const r = await runInProcess([]);
  equal(r.code, 2);
  ok(r.stderr.includes("Commands:"));
});

const COMMAND_FLAGS: Record<string, string[]> = {
  preflight: [
    "--method",
    "--skip-check",
    "--only",
    "--dump-facts",
    "--network-policies",
    "--facts",
    "--etcd-backup-confirmed",
    "--v4-internal-subnet",
    "--v6-internal-subnet",
    "--join-subnet",
    "--transit-subnet",
    "--cluster-network",
    "--host-prefix",
    "--mtu",
    "--geneve-port",
  ],
  execute: [
    "--method",
    "--dry-run",
    "--yes",
    "--timeout",
    "--skip-check",
    "--no-egress-ip",
    "--no-egress-firewall",
    "--no-multicast",
    "--mtu",
    "--geneve-port",
    "--v4-internal-subnet",
    "--v6-internal-subnet",
    "--join-subnet",
    "--transit-subnet",
    "--fix-subnets",
    "--cluster-network",
    "--host-prefix",
    "--reboot",
    "--ssh-user",
    "--ssh-key",
    "--reboot-batch",
    "--allow-all-masters",
    "--delete-nncp",
    "--delete-egress-router-pods",
    "--managed-platform-ack",
    "--backup-dir",
    "--etcd-backup-confirmed",
  ],
  status: ["--watch", "--interval"],
  cleanup: ["--dry-run", "--yes", "--timeout"],
  rollback: [
    "--method",
    "--dry-run",
    "--yes",
    "--timeout",
    "--mtu",
    "--vxlan-port",
    "--no-egress-ip",
    "--no-egress-firewall",
    "--no-multicast",
    "--reboot",
    "--reboot-batch",
  ],
  install: ["--dir"],
};

for (const [command, flags] of Object.entries(COMMAND_FLAGS)) {
  Deno.test(`${command} --help lists its flags, the global flags and examples`, async () => {
    const r = await runInProcess([command, "--help"]);
    equal(r.code, 0);
    for (const f of flags) match(r.stdout, new RegExp(`^  ${f}\\b`, "m"), f);
    ok(r.stdout.includes("Global Options:"), "global options shown");
    ok(r.stdout.includes("--kubeconfig"));
    match(r.stdout, /Examples:\n {2}(oc ovn-migrate|oc-ovn-migrate) /);
  });
}

Deno.test("help shows defaults of flags that have one", async () => {
  const r = await runInProcess(["execute", "--help"]);
  match(r.stdout, /--timeout <duration>.*\(default: 1h\)/);
  match(r.stdout, /--reboot <how>[\s\S]*?default:\s+"exec"/);
  match(r.stdout, /--backup-dir <dir>[\s\S]*?\.ovn-migrate\/backup/);
});

Deno.test("`help <command>` works like `<command> --help`", async () => {
  const a = await runInProcess(["help", "status"]);
  const b = await runInProcess(["status", "--help"]);
  equal(a.code, 0);
  equal(a.stdout, b.stdout);
});
