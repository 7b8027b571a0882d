/**
 * Authentication and RBAC of the simulated API server (issue 3 item 1: SelfSubjectAccessReview and
 * SelfSubjectRulesReview with per-user rules). Rule matching follows Kubernetes RBAC (rbac/v1 PolicyRule).
 */
import assert from "node:assert/strict";
import {
  Auth,
  decodeReviewProtobuf,
  forbiddenMessage,
  type RequestAttributes,
  type UserInfo,
} from "../../../sim/server/auth.ts";
import { ScenarioSpec } from "../../../sim/scenario/schema.ts";
import { StoreError } from "../../../sim/store.ts";

function scenarioAuth(users?: unknown[]): Auth {
  return new Auth(ScenarioSpec.parse({ name: "t", ...(users ? { users } : {}) }).users);
}

const restrictedUsers = [
  { name: "kube:admin", clusterAdmin: true, token: "sha256~admintokenadmintokenadmintokenadmintokenadm" },
  {
    name: "dev",
    token: "dev-token-0123456789",
    rules: [
      // namespaced rule (a RoleBinding in team-a)
      { apiGroups: [""], resources: ["pods", "configmaps"], verbs: ["get", "list"], namespaces: ["team-a"] },
      // subresource
      { apiGroups: [""], resources: ["pods/exec"], verbs: ["create"], namespaces: ["team-a"] },
      // resourceNames, cluster-wide
      {
        apiGroups: ["operator.openshift.io"],
        resources: ["networks"],
        verbs: ["get", "patch"],
        resourceNames: ["cluster"],
      },
      // wildcard verbs on a group
      { apiGroups: ["machineconfiguration.openshift.io"], resources: ["*"], verbs: ["*"] },
      // cluster-wide read of nodes, list but not watch
      { apiGroups: [""], resources: ["nodes"], verbs: ["get", "list"] },
    ],
  },
];

const attrs = (a: Partial<RequestAttributes>): RequestAttributes => ({ verb: "get", apiGroup: "", resource: "", ...a });

Deno.test("default users: kube:admin has a generated OpenShift-style token, system:admin a client certificate", () => {
  const auth = scenarioAuth();
  const creds = auth.credentials();
  assert.equal(creds.length, 2);
  const admin = creds.find((c) => c.name === "kube:admin")!;
  assert.match(admin.token!, /^sha256~[A-Za-z0-9_-]{43}$/);
  assert.deepEqual(creds.find((c) => c.name === "system:admin"), { name: "system:admin", clientCertificate: true });
  // tokens are random, never the same for two servers
  assert.notEqual(scenarioAuth().credentials()[0].token, admin.token);

  const user = auth.authenticate({ authorization: `Bearer ${admin.token}` });
  assert.deepEqual(user, { name: "kube:admin", groups: ["system:authenticated"] });
  assert.equal(auth.authenticate({ authorization: "Bearer sha256~wrong" }), undefined);
  assert.equal(auth.authenticate({}), undefined);
  // x509 comes first in the apiserver's authenticator union: a verified certificate wins over a token
  assert.equal(
    auth.authenticate({ authorization: `Bearer ${admin.token}`, certCN: "system:admin" })?.name,
    "system:admin",
  );
  assert.equal(auth.authenticate({ authorization: "Basic abc" }), undefined);

  const certUser = auth.authenticate({ certCN: "system:admin", certOrgs: ["system:masters"] })!;
  assert.deepEqual(certUser, { name: "system:admin", groups: ["system:masters", "system:authenticated"] });
});

Deno.test("cluster admins and system:masters may do everything", () => {
  const auth = scenarioAuth(restrictedUsers);
  const admin = auth.authenticate({ authorization: `Bearer ${restrictedUsers[0].token}` })!;
  for (
    const a of [
      attrs({ verb: "delete", apiGroup: "config.openshift.io", resource: "networks", name: "cluster" }),
      attrs({ verb: "create", resource: "pods", subresource: "exec", namespace: "x", name: "p" }),
      attrs({ verb: "watch", resource: "nodes" }),
    ]
  ) {
    assert.equal(auth.authorize(admin, a).allowed, true, JSON.stringify(a));
  }
  const masters: UserInfo = { name: "someone-with-a-cert", groups: ["system:masters"] };
  assert.equal(
    auth.authorize(masters, attrs({ verb: "deletecollection", resource: "pods", namespace: "a" })).allowed,
    true,
  );
});

Deno.test("restricted user: namespaced rules, subresources, resourceNames, wildcards, list does not imply watch", () => {
  const auth = scenarioAuth(restrictedUsers);
  const dev = auth.authenticate({ authorization: "Bearer dev-token-0123456789" })!;
  const can = (a: Partial<RequestAttributes>) => auth.authorize(dev, attrs(a)).allowed;

  // namespaced rule applies only in its namespace, never cluster-wide or across namespaces
  assert.equal(can({ verb: "list", resource: "pods", namespace: "team-a" }), true);
  assert.equal(can({ verb: "get", resource: "configmaps", namespace: "team-a", name: "c" }), true);
  assert.equal(can({ verb: "list", resource: "pods", namespace: "team-b" }), false);
  assert.equal(can({ verb: "list", resource: "pods" }), false, "all-namespaces list needs a cluster-wide rule");
  assert.equal(can({ verb: "delete", resource: "pods", namespace: "team-a", name: "p" }), false);

  // "pods" does not grant "pods/exec"; "pods/exec" does not grant "pods"
  assert.equal(can({ verb: "create", resource: "pods", subresource: "exec", namespace: "team-a", name: "p" }), true);
  assert.equal(can({ verb: "create", resource: "pods", namespace: "team-a" }), false);
  assert.equal(can({ verb: "get", resource: "pods", subresource: "log", namespace: "team-a", name: "p" }), false);

  // resourceNames: only the named object; a request without a name (list) does not match
  const net = { apiGroup: "operator.openshift.io", resource: "networks" };
  assert.equal(can({ ...net, verb: "patch", name: "cluster" }), true);
  assert.equal(can({ ...net, verb: "patch", name: "other" }), false);
  assert.equal(can({ ...net, verb: "list" }), false);
  assert.equal(can({ verb: "patch", apiGroup: "config.openshift.io", resource: "networks", name: "cluster" }), false);

  // wildcard resources and verbs within a group, including subresources
  const mc = { apiGroup: "machineconfiguration.openshift.io" };
  assert.equal(can({ ...mc, verb: "patch", resource: "machineconfigpools", name: "worker" }), true);
  assert.equal(can({ ...mc, verb: "update", resource: "machineconfigpools", subresource: "status", name: "w" }), true);
  assert.equal(can({ ...mc, verb: "watch", resource: "machineconfigs" }), true);

  // list does not imply watch
  assert.equal(can({ verb: "list", resource: "nodes" }), true);
  assert.equal(can({ verb: "watch", resource: "nodes" }), false);

  // discovery is open to every authenticated user, other non-resource writes are not
  assert.equal(can({ verb: "get", path: "/apis/config.openshift.io/v1" }), true);
  assert.equal(can({ verb: "get", path: "/version" }), true);
  assert.equal(can({ verb: "post", path: "/apis" }), false);
  // basic-user rules: everyone may ask what they may do
  assert.equal(can({ verb: "create", apiGroup: "authorization.k8s.io", resource: "selfsubjectaccessreviews" }), true);
});

Deno.test("forbidden messages read like the apiserver's", () => {
  const u: UserInfo = { name: "dev", groups: [] };
  assert.equal(
    forbiddenMessage(u, attrs({ verb: "create", resource: "pods", subresource: "exec", namespace: "ns", name: "p" })),
    'pods "p" is forbidden: User "dev" cannot create resource "pods/exec" in API group "" in the namespace "ns"',
  );
  assert.equal(
    forbiddenMessage(u, attrs({ verb: "list", apiGroup: "config.openshift.io", resource: "networks" })),
    'networks.config.openshift.io is forbidden: User "dev" cannot list resource "networks" in API group ' +
      '"config.openshift.io" at the cluster scope',
  );
});

Deno.test("SelfSubjectAccessReview echoes spec and answers status.allowed (kubectl auth can-i)", () => {
  const auth = scenarioAuth(restrictedUsers);
  const dev = auth.authenticate({ authorization: "Bearer dev-token-0123456789" })!;
  const spec = {
    resourceAttributes: { namespace: "team-a", verb: "create", group: "", resource: "pods", subresource: "exec" },
  };
  const yes = auth.selfSubjectAccessReview(dev, {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    spec,
  });
  assert.equal(yes.kind, "SelfSubjectAccessReview");
  assert.equal(yes.apiVersion, "authorization.k8s.io/v1");
  assert.deepEqual(yes.spec, spec);
  const status = yes.status as { allowed: boolean; reason?: string; denied?: boolean };
  assert.equal(status.allowed, true);
  assert.match(status.reason!, /^RBAC: allowed by RoleBinding/);
  assert.equal(status.denied, undefined);

  const no = auth.selfSubjectAccessReview(dev, {
    spec: { resourceAttributes: { verb: "watch", resource: "nodes" } },
  });
  assert.deepEqual(no.status, { allowed: false });

  const nonResource = auth.selfSubjectAccessReview(dev, {
    spec: { nonResourceAttributes: { path: "/version", verb: "get" } },
  });
  assert.equal((nonResource.status as { allowed: boolean }).allowed, true);
  assert.equal(
    (auth.selfSubjectAccessReview(dev, { spec: { nonResourceAttributes: { path: "/metrics", verb: "get" } } })
      .status as { allowed: boolean }).allowed,
    false,
  );
  assert.throws(
    () => auth.selfSubjectAccessReview(dev, { spec: {} }),
    (e) => e instanceof StoreError && e.code === 422,
  );
});

Deno.test("SelfSubjectRulesReview lists the rules in force in a namespace (kubectl auth can-i --list)", () => {
  const auth = scenarioAuth(restrictedUsers);
  const dev = auth.authenticate({ authorization: "Bearer dev-token-0123456789" })!;
  const inTeamA = auth.selfSubjectRulesReview(dev, { spec: { namespace: "team-a" } });
  assert.equal(inTeamA.kind, "SelfSubjectRulesReview");
  assert.deepEqual(inTeamA.spec, { namespace: "team-a" });
  const st = inTeamA.status as {
    resourceRules: { verbs: string[]; apiGroups: string[]; resources: string[]; resourceNames?: string[] }[];
    nonResourceRules: { verbs: string[]; nonResourceURLs: string[] }[];
    incomplete: boolean;
  };
  assert.equal(st.incomplete, false);
  assert.deepEqual(st.resourceRules[0], { verbs: ["get", "list"], apiGroups: [""], resources: ["pods", "configmaps"] });
  assert.ok(st.resourceRules.some((r) => r.resources.includes("pods/exec")));
  assert.deepEqual(
    st.resourceRules.find((r) => r.resourceNames),
    {
      verbs: ["get", "patch"],
      apiGroups: ["operator.openshift.io"],
      resources: ["networks"],
      resourceNames: ["cluster"],
    },
  );
  assert.ok(st.resourceRules.some((r) => r.resources.includes("selfsubjectaccessreviews")));
  assert.ok(st.nonResourceRules[0].nonResourceURLs.includes("/version"));

  const elsewhere = auth.selfSubjectRulesReview(dev, { spec: { namespace: "team-b" } }).status as typeof st;
  assert.ok(!elsewhere.resourceRules.some((r) => r.resources.includes("pods/exec")), "namespaced rules stay home");

  const admin = auth.authenticate({ authorization: `Bearer ${restrictedUsers[0].token}` })!;
  const all = auth.selfSubjectRulesReview(admin, { spec: { namespace: "default" } }).status as typeof st;
  assert.deepEqual(all.resourceRules, [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }]);
});

Deno.test("impersonation: admins may impersonate users and groups; restricted users get 403", () => {
  const auth = scenarioAuth(restrictedUsers);
  const admin = auth.authenticate({ authorization: `Bearer ${restrictedUsers[0].token}` })!;
  const dev = auth.authenticate({ authorization: "Bearer dev-token-0123456789" })!;

  assert.equal(auth.impersonate(admin, undefined), admin);
  assert.equal(auth.impersonate(admin, { groups: [] }), admin);

  const asDev = auth.impersonate(admin, { user: "dev", groups: [] });
  assert.deepEqual(asDev, { name: "dev", groups: ["system:authenticated"] });
  // the impersonated user is authorized with the target's rules, not the caller's
  assert.equal(auth.authorize(asDev, attrs({ verb: "watch", resource: "nodes" })).allowed, false);

  // Impersonate-Group adds groups; system:masters makes anyone an admin
  const asMaster = auth.impersonate(admin, { user: "nobody", groups: ["system:masters"] });
  assert.deepEqual(asMaster.groups, ["system:masters", "system:authenticated"]);
  assert.equal(auth.authorize(asMaster, attrs({ verb: "watch", resource: "nodes" })).allowed, true);

  assert.throws(
    () => auth.impersonate(dev, { user: "kube:admin", groups: [] }),
    (e) =>
      e instanceof StoreError && e.code === 403 &&
      e.message === 'users "kube:admin" is forbidden: User "dev" cannot impersonate resource "users" in API group "" ' +
          "at the cluster scope",
  );
  assert.throws(
    () => auth.impersonate(dev, { user: "dev", groups: ["system:masters"] }),
    (e) => e instanceof StoreError && e.code === 403,
  );
  assert.throws(() => auth.impersonate(admin, { groups: ["g"] }), (e) => e instanceof StoreError && e.code === 400);
});

/** A tiny protobuf writer for length-delimited fields, enough to build review envelopes. */
function field(n: number, value: Uint8Array | string): Uint8Array {
  const bytes = typeof value === "string" ? new TextEncoder().encode(value) : value;
  const len: number[] = [];
  let l = bytes.length;
  do {
    len.push((l & 0x7f) | (l > 0x7f ? 0x80 : 0));
    l >>= 7;
  } while (l > 0);
  return new Uint8Array([(n << 3) | 2, ...len, ...bytes]);
}
const msg = (...parts: Uint8Array[]) => new Uint8Array(parts.flatMap((p) => [...p]));
const envelope = (apiVersion: string, kind: string, raw: Uint8Array) =>
  msg(new Uint8Array([0x6b, 0x38, 0x73, 0]), field(1, msg(field(1, apiVersion), field(2, kind))), field(2, raw));

Deno.test("protobuf reviews (what kubectl auth can-i sends) decode to their JSON form", () => {
  // gogo-protobuf writes every string field, empty ones included, and an empty ObjectMeta
  const ra = msg(
    field(1, "team-a"),
    field(2, "create"),
    field(3, ""),
    field(4, ""),
    field(5, "pods"),
    field(6, "exec"),
    field(7, ""),
  );
  const ssar = envelope(
    "authorization.k8s.io/v1",
    "SelfSubjectAccessReview",
    msg(field(1, new Uint8Array(0)), field(2, field(1, ra)), field(3, new Uint8Array(0))),
  );
  assert.deepEqual(decodeReviewProtobuf(ssar), {
    apiVersion: "authorization.k8s.io/v1",
    kind: "SelfSubjectAccessReview",
    metadata: {},
    spec: { resourceAttributes: { namespace: "team-a", verb: "create", resource: "pods", subresource: "exec" } },
  });
  const nonResource = envelope(
    "authorization.k8s.io/v1",
    "SelfSubjectAccessReview",
    msg(field(2, field(2, msg(field(1, "/version"), field(2, "get"))))),
  );
  assert.deepEqual(decodeReviewProtobuf(nonResource).spec, {
    nonResourceAttributes: { path: "/version", verb: "get" },
  });
  const ssrr = envelope("authorization.k8s.io/v1", "SelfSubjectRulesReview", msg(field(2, field(1, "team-b"))));
  assert.deepEqual(decodeReviewProtobuf(ssrr).spec, { namespace: "team-b" });

  assert.throws(
    () => decodeReviewProtobuf(new TextEncoder().encode("{}")),
    (e) => e instanceof StoreError && e.code === 415,
  );
  assert.throws(
    () => decodeReviewProtobuf(envelope("v1", "Pod", new Uint8Array(0))),
    (e) => e instanceof StoreError && e.code === 415,
  );
});
