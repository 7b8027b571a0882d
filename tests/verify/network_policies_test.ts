/**
 * `preflight --network-policies FILE`: the generator on literal NetNamespaces, then end to end against the
 * simulated Multitenant cluster, with real kubectl applying the file to prove an API server accepts it.
 */
import assert from "node:assert/strict";
import { loadAll } from "js-yaml";
import { run } from "../../lib/cli/commands/preflight.ts";
import { CliError, UsageError } from "../../lib/errors.ts";
import { multitenantNetworkPolicies, type NetworkPolicy } from "../../lib/verify/network_policies.ts";
import { healthyFacts, options, v, withFacts } from "./fixtures.ts";
import { fakeContext } from "./fake_io.ts";
import { preflightOnSim } from "./sim_preflight.ts";

const DOCUMENTED = [
  "allow-from-openshift-ingress",
  "allow-from-openshift-monitoring",
  "allow-same-namespace",
  "allow-from-kube-apiserver-operator",
];

const names = (ps: NetworkPolicy[], ns: string) =>
  ps.filter((p) => p.metadata.namespace === ns).map((p) => p.metadata.name);
const peerNames = (ps: NetworkPolicy[], ns: string, name: string) => {
  const p = ps.find((p) => p.metadata.namespace === ns && p.metadata.name === name);
  const sel = p?.spec.ingress[0].from[0].namespaceSelector as
    | { matchExpressions: { key: string; operator: string; values: string[] }[] }
    | undefined;
  assert.ok(sel, `${ns}/${name} exists`);
  assert.equal(sel.matchExpressions[0].key, "kubernetes.io/metadata.name");
  assert.equal(sel.matchExpressions[0].operator, "In");
  return sel.matchExpressions[0].values;
};

const LITERAL = [
  { name: "zeta", netid: 12 },
  { name: "team-b", netid: 4100 },
  { name: "openshift-ingress", netid: 0 },
  { name: "kube-system", netid: 0 },
  { name: "default", netid: 0 },
  { name: "openshift", netid: 0 },
  { name: "openshift-monitoring", netid: 7 },
  { name: "tools", netid: 0 },
  { name: "team-a", netid: 4100 },
  { name: "artifacts", netid: 0 },
];

Deno.test("network policies: an isolated project gets the four documented policies and allow-from-global-projects", () => {
  const ps = multitenantNetworkPolicies(LITERAL);
  assert.deepEqual(names(ps, "zeta"), [...DOCUMENTED, "allow-from-global-projects"]);
  assert.deepEqual(peerNames(ps, "zeta", "allow-from-global-projects"), ["artifacts", "tools"]);
  for (const p of ps) {
    assert.equal(p.apiVersion, "networking.k8s.io/v1");
    assert.equal(p.kind, "NetworkPolicy");
    assert.deepEqual(p.metadata.labels, { "app.kubernetes.io/managed-by": "oc-ovn-migrate" });
    assert.deepEqual(p.spec.podSelector, {});
    assert.deepEqual(p.spec.policyTypes, ["Ingress"]);
  }
  const byName = (n: string) => ps.find((p) => p.metadata.namespace === "zeta" && p.metadata.name === n)!.spec.ingress;
  assert.deepEqual(byName("allow-from-openshift-ingress"), [{
    from: [{ namespaceSelector: { matchLabels: { "policy-group.network.openshift.io/ingress": "" } } }],
  }]);
  assert.deepEqual(byName("allow-from-openshift-monitoring"), [{
    from: [{ namespaceSelector: { matchLabels: { "network.openshift.io/policy-group": "monitoring" } } }],
  }]);
  assert.deepEqual(byName("allow-same-namespace"), [{ from: [{ podSelector: {} }] }]);
  assert.deepEqual(byName("allow-from-kube-apiserver-operator"), [{
    from: [{
      namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "openshift-kube-apiserver-operator" } },
      podSelector: { matchLabels: { app: "kube-apiserver-operator" } },
    }],
  }]);
});

Deno.test("network policies: joined projects admit each other; global and platform projects get nothing", () => {
  const ps = multitenantNetworkPolicies(LITERAL);
  assert.deepEqual(names(ps, "team-a"), [...DOCUMENTED, "allow-from-joined-projects", "allow-from-global-projects"]);
  assert.deepEqual(peerNames(ps, "team-a", "allow-from-joined-projects"), ["team-b"]);
  assert.deepEqual(peerNames(ps, "team-b", "allow-from-joined-projects"), ["team-a"]);
  assert.deepEqual(names(ps, "zeta").includes("allow-from-joined-projects"), false);
  for (const ns of ["tools", "artifacts", "openshift-ingress", "openshift-monitoring", "kube-system", "default"]) {
    assert.deepEqual(names(ps, ns), [], ns);
  }
  assert.deepEqual(names(ps, "openshift"), []);
  // Without global projects there is nothing to admit from them.
  const alone = multitenantNetworkPolicies([{ name: "solo", netid: 3 }, { name: "default", netid: 0 }]);
  assert.deepEqual(names(alone, "solo"), DOCUMENTED);
});

Deno.test("network policies: deterministic, whatever the input order", () => {
  const a = multitenantNetworkPolicies(LITERAL);
  const b = multitenantNetworkPolicies([...LITERAL].reverse());
  assert.deepEqual(b, a);
  assert.deepEqual([...new Set(a.map((p) => p.metadata.namespace))], ["team-a", "team-b", "zeta"]);
  // The generator copies its selectors: editing one policy never changes another.
  (a[0].spec.ingress[0].from[0] as Record<string, unknown>).extra = true;
  assert.deepEqual(multitenantNetworkPolicies(LITERAL)[1].spec.ingress[0].from[0].extra, undefined);
});

const decoder = new TextDecoder();

async function kubectl(kubeconfig: string, home: string, args: string[]): Promise<string> {
  const out = await new Deno.Command("kubectl", {
    args: ["--kubeconfig", kubeconfig, ...args],
    // A private HOME so kubectl's discovery cache never lands in the user's.
    env: { HOME: home, PATH: Deno.env.get("PATH") ?? "/usr/bin:/bin" },
    clearEnv: true,
    stdin: "null",
    cwd: home,
  }).output();
  const stdout = decoder.decode(out.stdout);
  if (out.code !== 0) {
    throw new Error(`kubectl ${args.join(" ")} failed (${out.code}):\n${stdout}\n${decoder.decode(out.stderr)}`);
  }
  return stdout;
}

Deno.test("preflight --network-policies on sdn-multitenant: the file keeps the isolation and real kubectl applies it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netpol-" });
  const file = `${dir}/policies.yaml`;
  let listed = "";
  const { code, err } = await preflightOnSim("sdn-multitenant", { networkPolicies: file }, {
    after: async (kubeconfig) => {
      const home = await Deno.makeTempDir({ prefix: "netpol-home-" });
      const namespaces = (await kubectl(kubeconfig, home, ["get", "namespaces", "-o", "name"])).split("\n");
      for (const ns of ["team-a", "team-b", "team-c"]) assert.ok(namespaces.includes(`namespace/${ns}`), ns);
      await kubectl(kubeconfig, home, ["apply", "-f", file]);
      listed = await kubectl(kubeconfig, home, ["get", "networkpolicy", "-A", "-o", "json"]);
    },
  });
  assert.equal(code, 4, "offline recommended with warnings: the flag does not change the exit code");
  assert.match(err, /--network-policies: wrote 17 NetworkPolicies for 3 projects to .*policies\.yaml/);

  const text = await Deno.readTextFile(file);
  assert.match(text, /^# /, "starts with the review note");
  assert.match(text, /oc apply -f .*policies\.yaml/);
  const ps = loadAll(text) as NetworkPolicy[];
  assert.ok(ps.every((p) => p.apiVersion === "networking.k8s.io/v1" && p.kind === "NetworkPolicy"));
  assert.deepEqual(peerNames(ps, "team-a", "allow-from-joined-projects"), ["team-b"]);
  assert.deepEqual(peerNames(ps, "team-b", "allow-from-joined-projects"), ["team-a"]);
  assert.deepEqual(names(ps, "team-c"), [...DOCUMENTED, "allow-from-global-projects"]);
  assert.deepEqual(names(ps, "shared-tools"), []);
  for (const ns of ["team-a", "team-b", "team-c"]) {
    assert.deepEqual(peerNames(ps, ns, "allow-from-global-projects"), ["shared-tools"], ns);
  }
  assert.ok(ps.every((p) => !p.metadata.namespace.startsWith("openshift")));

  const stored = (JSON.parse(listed) as { items: NetworkPolicy[] }).items
    .map((p) => ({ ns: p.metadata.namespace, name: p.metadata.name, labels: p.metadata.labels, spec: p.spec }))
    .sort((a, b) => `${a.ns}/${a.name}`.localeCompare(`${b.ns}/${b.name}`));
  const expected = ps.map((p) => ({
    ns: p.metadata.namespace,
    name: p.metadata.name,
    labels: p.metadata.labels,
    spec: p.spec,
  }))
    .sort((a, b) => `${a.ns}/${a.name}`.localeCompare(`${b.ns}/${b.name}`));
  assert.deepEqual(stored, expected);
});

Deno.test("preflight --network-policies on sdn-small (NetworkPolicy mode): no file, a note on stderr, same exit", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netpol-" });
  const file = `${dir}/policies.yaml`;
  const plain = await preflightOnSim("sdn-small", {});
  const { code, err } = await preflightOnSim("sdn-small", { networkPolicies: file });
  assert.equal(code, plain.code);
  assert.match(err, /--network-policies: .*policies\.yaml not written: OpenShift SDN runs in NetworkPolicy mode/);
  assert.equal(err.trim().split("\n").length, 1);
  await assert.rejects(() => Deno.stat(file), Deno.errors.NotFound);
});

Deno.test("preflight --network-policies --facts: NetNamespaces unreadable → runtime error, nothing written", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netpol-" });
  const facts = withFacts((f) => {
    v(f.networkOperator)!.defaultNetwork.openshiftSDNConfig!.mode = "Multitenant";
    f.netNamespaces = { error: "netnamespaces.network.openshift.io is forbidden", status: 403 };
  });
  await Deno.writeTextFile(`${dir}/facts.json`, JSON.stringify(facts));
  const io = fakeContext({ output: "json" });
  await assert.rejects(
    () => run(io.ctx, options({ facts: `${dir}/facts.json`, networkPolicies: `${dir}/p.yaml` })),
    (e: unknown) => {
      assert.ok(e instanceof CliError && !(e instanceof UsageError));
      assert.equal(e.exitCode, 1);
      assert.match(e.message, /reading the NetNamespaces failed: .*forbidden/);
      return true;
    },
  );
  await assert.rejects(() => Deno.stat(`${dir}/p.yaml`), Deno.errors.NotFound);
  assert.equal(io.out(), "", "no report after the error");
});

Deno.test("preflight --network-policies --facts: works offline; an unwritable path is a usage error naming it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "netpol-" });
  const facts = withFacts((f) => (v(f.networkOperator)!.defaultNetwork.openshiftSDNConfig!.mode = "Multitenant"));
  await Deno.writeTextFile(`${dir}/facts.json`, JSON.stringify(facts));
  const io = fakeContext({ output: "json" });
  await run(io.ctx, options({ facts: `${dir}/facts.json`, networkPolicies: `${dir}/p.yaml` }));
  assert.equal(io.connects(), 0);
  const written = loadAll(await Deno.readTextFile(`${dir}/p.yaml`)) as NetworkPolicy[];
  const expected = multitenantNetworkPolicies(v(healthyFacts().netNamespaces).items);
  assert.ok(expected.length > 0);
  assert.deepEqual(written, expected);

  const bad = `${dir}/missing-dir/p.yaml`;
  await assert.rejects(
    () => run(fakeContext().ctx, options({ facts: `${dir}/facts.json`, networkPolicies: bad })),
    (e: unknown) => e instanceof UsageError && e.message.includes(bad),
  );
});
