/**
 * Every resource the simulated API server serves: the built-in Kubernetes kinds the product touches,
 * and every CRD in sim/crds (read from the real OpenShift / OVN-Kubernetes / Kuryr schemas) plus the
 * two third-party CRDs the product reads but whose schemas we do not carry (NNCP and NAD).
 */
import { loadAll } from "js-yaml";
import type { ResourceDef } from "./store.ts";
import type { Obj } from "./store.ts";
import { crdValidator, namedRules } from "./schema_validation.ts";

const CRD_DIR = new URL("./crds/", import.meta.url);

/** A CRD's served storage version and its OpenAPI schema, kept for validation and discovery. */
export interface CrdInfo {
  def: ResourceDef;
  /** `spec.versions[].schema.openAPIV3Schema` of the storage version. */
  schema?: Obj;
  /** `additionalPrinterColumns` of the storage version (for `kubectl get` tables). */
  printerColumns?: Obj[];
  /** `x-kubernetes-validations` rules are evaluated by hand in schema validation; kept here for reference. */
  crd: Obj;
}

const builtin = (
  group: string,
  version: string,
  resource: string,
  kind: string,
  namespaced: boolean,
  extra: Partial<ResourceDef> = {},
): ResourceDef => ({
  group,
  version,
  resource,
  kind,
  singular: kind.toLowerCase(),
  namespaced,
  ...extra,
});

/** Built-in kinds, with the status subresource and short names the real API server has. */
export const BUILTIN_DEFS: readonly ResourceDef[] = [
  builtin("", "v1", "namespaces", "Namespace", false, { shortNames: ["ns"], statusSubresource: true }),
  builtin("", "v1", "nodes", "Node", false, { shortNames: ["no"], statusSubresource: true }),
  builtin("", "v1", "pods", "Pod", true, { shortNames: ["po"], statusSubresource: true, categories: ["all"] }),
  builtin("", "v1", "configmaps", "ConfigMap", true, { shortNames: ["cm"] }),
  builtin("", "v1", "secrets", "Secret", true),
  builtin("", "v1", "services", "Service", true, { shortNames: ["svc"], statusSubresource: true, categories: ["all"] }),
  builtin("", "v1", "serviceaccounts", "ServiceAccount", true, { shortNames: ["sa"] }),
  builtin("", "v1", "events", "Event", true, { shortNames: ["ev"] }),
  builtin("apps", "v1", "daemonsets", "DaemonSet", true, {
    shortNames: ["ds"],
    statusSubresource: true,
    categories: ["all"],
  }),
  builtin("apps", "v1", "deployments", "Deployment", true, {
    shortNames: ["deploy"],
    statusSubresource: true,
    categories: ["all"],
  }),
  builtin("apps", "v1", "replicasets", "ReplicaSet", true, {
    shortNames: ["rs"],
    statusSubresource: true,
    categories: ["all"],
  }),
  builtin("apps", "v1", "statefulsets", "StatefulSet", true, {
    shortNames: ["sts"],
    statusSubresource: true,
    categories: ["all"],
  }),
  builtin("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, {
    shortNames: ["pdb"],
    statusSubresource: true,
  }),
  builtin("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, { shortNames: ["netpol"] }),
  builtin(
    "admissionregistration.k8s.io",
    "v1",
    "validatingwebhookconfigurations",
    "ValidatingWebhookConfiguration",
    false,
  ),
  builtin("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false),
  builtin("authorization.k8s.io", "v1", "selfsubjectaccessreviews", "SelfSubjectAccessReview", false, {
    verbs: ["create"],
  }),
  builtin("authorization.k8s.io", "v1", "selfsubjectrulesreviews", "SelfSubjectRulesReview", false, {
    verbs: ["create"],
  }),
  // Third-party CRDs without a schema in sim/crds: served without validation.
  builtin("nmstate.io", "v1", "nodenetworkconfigurationpolicies", "NodeNetworkConfigurationPolicy", false, {
    shortNames: ["nncp"],
    statusSubresource: true,
  }),
  builtin("k8s.cni.cncf.io", "v1", "network-attachment-definitions", "NetworkAttachmentDefinition", true, {
    shortNames: ["net-attach-def"],
    singular: "network-attachment-definition",
  }),
];

/** API groups that exist only on OpenShift (absent from a `not-openshift` scenario). */
export function isOpenShiftGroup(group: string): boolean {
  return group.endsWith("openshift.io") || group === "k8s.ovn.org" || group === "openstack.org";
}

let crdCache: CrdInfo[] | undefined;

/** Every CRD under sim/crds, parsed once. */
export function loadCrds(): CrdInfo[] {
  if (crdCache) return crdCache;
  const out: CrdInfo[] = [];
  for (const dir of ["openshift", "ovn-kubernetes", "kuryr"]) {
    const dirUrl = new URL(`${dir}/`, CRD_DIR);
    const files = [...Deno.readDirSync(dirUrl)].filter((f) => f.isFile && f.name.endsWith(".yaml")).map((f) => f.name)
      .sort();
    for (const file of files) {
      for (const doc of loadAll(Deno.readTextFileSync(new URL(file, dirUrl))) as Obj[]) {
        if (doc?.kind !== "CustomResourceDefinition") continue;
        const spec = doc.spec;
        const version = spec.versions.find((v: Obj) => v.storage) ?? spec.versions[0];
        out.push({
          crd: doc,
          schema: version.schema?.openAPIV3Schema,
          printerColumns: version.additionalPrinterColumns,
          def: {
            group: spec.group,
            version: version.name,
            resource: spec.names.plural,
            kind: spec.names.kind,
            singular: spec.names.singular ?? spec.names.kind.toLowerCase(),
            namespaced: spec.scope === "Namespaced",
            shortNames: spec.names.shortNames,
            categories: spec.names.categories,
            statusSubresource: Boolean(version.subresources?.status),
          },
        });
      }
    }
  }
  crdCache = out;
  return out;
}

/** Every resource definition the simulator serves; `openshift: false` leaves out the OpenShift groups. */
export function simResourceDefs(opts: { openshift?: boolean } = {}): ResourceDef[] {
  const openshift = opts.openshift ?? true;
  const defs = [...BUILTIN_DEFS, ...loadCrds().map(validatedDef)];
  return openshift
    ? defs.map((d) => ({ ...d }))
    : defs.filter((d) => !isOpenShiftGroup(d.group)).map((d) => ({ ...d }));
}

const validated = new Map<CrdInfo, ResourceDef>();

/**
 * A CRD's definition with a `validate` hook: its OpenAPI schema and the hand-written
 * x-kubernetes-validations rules (sim/schema_validation.ts), as kube-apiserver validates custom resources.
 */
function validatedDef(c: CrdInfo): ResourceDef {
  let d = validated.get(c);
  if (!d) {
    d = c.schema
      ? { ...c.def, validate: crdValidator(c.schema, namedRules[`${c.def.group}/${c.def.resource}`]) }
      : c.def;
    validated.set(c, d);
  }
  return d;
}
