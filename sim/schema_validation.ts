/**
 * Validation of custom resources against their CRD's OpenAPI v3 structural schema, with the error texts
 * kube-apiserver returns (types, nullable, enums, required, int-or-string, bounds, patterns, list sizes;
 * unknown fields are neither pruned nor rejected). CEL `x-kubernetes-validations` are not interpreted: the
 * rules the simulator needs are implemented by hand below and attached by resource, each named after the
 * rule it mirrors.
 */
import type { Obj } from "./store.ts";

/** A hand-written x-kubernetes-validations rule: `check` gets `self` (and `oldSelf`) at `path`. */
export interface NamedRule {
  name: string;
  /** Dotted path of the schema node carrying the rule, e.g. "spec.migration". */
  path: string;
  /** The CRD's message for the rule. */
  message: string;
  /** True when the rule holds. */
  check(self: Obj, oldSelf: Obj | undefined): boolean;
}

const has = (o: Obj | undefined, k: string) => !!o && typeof o === "object" && Object.hasOwn(o, k);

/**
 * networks.operator.openshift.io `spec.migration` (API@release-4.16 operator/v1 types_network.go,
 * cluster-behaviour.md §1.2): `!has(self.mtu) || !has(self.networkType) || self.networkType == "" ||
 * has(self.mode) && self.mode == 'Live'`.
 */
export const networkMigrationModeRule: NamedRule = {
  name: "operator-network-migration-mtu-requires-live-mode",
  path: "spec.migration",
  message: "networkType migration in mode other than 'Live' may not be configured at the same time as mtu migration",
  check: (self) =>
    !has(self, "mtu") || !has(self, "networkType") || self.networkType === "" ||
    (has(self, "mode") && self.mode === "Live"),
};

/**
 * networks.config.openshift.io `spec` (API@release-4.16 config/v1 types_network.go): `!has(self.networkDiagnostics)
 * || !has(self.networkDiagnostics.mode) || self.networkDiagnostics.mode!='Disabled' ||
 * !has(self.networkDiagnostics.sourcePlacement) && !has(self.networkDiagnostics.targetPlacement)`.
 */
export const networkDiagnosticsPlacementRule: NamedRule = {
  name: "config-network-diagnostics-placement-when-disabled",
  path: "spec",
  message:
    "cannot set networkDiagnostics.sourcePlacement and networkDiagnostics.targetPlacement when networkDiagnostics.mode is Disabled",
  check: (self) => {
    const d = self.networkDiagnostics;
    return !has(self, "networkDiagnostics") || !has(d, "mode") || d.mode !== "Disabled" ||
      (!has(d, "sourcePlacement") && !has(d, "targetPlacement"));
  },
};

/** The hand-written rules per resource key (`<group>/<plural>`). */
export const namedRules: Record<string, NamedRule[]> = {
  "operator.openshift.io/networks": [networkMigrationModeRule],
  "config.openshift.io/networks": [networkDiagnosticsPlacementRule],
};

const goType = (v: unknown): string => {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
};

/** How kube-apiserver prints a value in "Invalid value: …". */
const shown = (v: unknown): string => {
  if (typeof v === "string") return JSON.stringify(v);
  if (v === null) return '"null"';
  if (Array.isArray(v)) return '"array"';
  if (typeof v === "object") return '"object"';
  return String(v);
};

function typeMatches(schema: Obj, v: unknown): boolean {
  if (schema["x-kubernetes-int-or-string"]) return typeof v === "string" || Number.isInteger(v);
  switch (schema.type) {
    case undefined:
      return true;
    case "object":
      return goType(v) === "object";
    case "array":
      return Array.isArray(v);
    case "string":
      return typeof v === "string";
    case "integer":
      return Number.isInteger(v);
    case "number":
      return typeof v === "number";
    case "boolean":
      return typeof v === "boolean";
  }
  return true;
}

/** Appends "path: message" errors for `value` against `schema`. */
export function validateValue(schema: Obj, value: unknown, path: string, errs: string[]): void {
  if (value === null) {
    if (!schema.nullable && schema.type !== undefined && !schema["x-kubernetes-preserve-unknown-fields"]) {
      errs.push(`${path}: Invalid value: "null": ${path} in body must be of type ${schema.type}: "null"`);
    }
    return;
  }
  if (!typeMatches(schema, value)) {
    const want = schema["x-kubernetes-int-or-string"] ? "integer,string" : schema.type;
    errs.push(
      `${path}: Invalid value: "${goType(value)}": ${path} in body must be of type ${want}: "${goType(value)}"`,
    );
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e: unknown) => e === value)) {
    errs.push(
      `${path}: Unsupported value: ${shown(value)}: supported values: ${
        schema.enum.map((e: unknown) => JSON.stringify(e)).join(", ")
      }`,
    );
  }
  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && value < schema.minimum) {
      errs.push(
        `${path}: Invalid value: ${value}: ${path} in body should be greater than or equal to ${schema.minimum}`,
      );
    }
    if (typeof schema.maximum === "number" && value > schema.maximum) {
      errs.push(`${path}: Invalid value: ${value}: ${path} in body should be less than or equal to ${schema.maximum}`);
    }
  }
  if (typeof value === "string") {
    if (typeof schema.maxLength === "number" && value.length > schema.maxLength) {
      errs.push(`${path}: Too long: may not be longer than ${schema.maxLength}`);
    }
    if (typeof schema.minLength === "number" && value.length < schema.minLength) {
      errs.push(
        `${path}: Invalid value: ${shown(value)}: ${path} in body should be at least ${schema.minLength} chars long`,
      );
    }
    if (typeof schema.pattern === "string" && !patternMatches(schema.pattern, value)) {
      errs.push(`${path}: Invalid value: ${shown(value)}: ${path} in body should match '${schema.pattern}'`);
    }
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) {
      errs.push(`${path}: Too many: ${value.length}: must have at most ${schema.maxItems} items`);
    }
    if (typeof schema.minItems === "number" && value.length < schema.minItems) {
      errs.push(
        `${path}: Invalid value: ${value.length}: ${path} in body should have at least ${schema.minItems} items`,
      );
    }
    if (schema.items && typeof schema.items === "object") {
      value.forEach((item, i) => validateValue(schema.items, item, `${path}[${i}]`, errs));
    }
    return;
  }
  if (goType(value) === "object") {
    const o = value as Obj;
    for (const req of (schema.required ?? []) as string[]) {
      if (!Object.hasOwn(o, req)) errs.push(`${path ? path + "." : ""}${req}: Required value`);
    }
    const props: Obj = schema.properties ?? {};
    for (const [k, v] of Object.entries(o)) {
      const child = path ? `${path}.${k}` : k;
      if (props[k]) validateValue(props[k], v, child, errs);
      else if (schema.additionalProperties && typeof schema.additionalProperties === "object") {
        validateValue(schema.additionalProperties, v, child, errs);
      }
    }
  }
}

const patternCache = new Map<string, RegExp | null>();

/** Go RE2 patterns are almost always valid JavaScript; an untranslatable one is not enforced. */
function patternMatches(pattern: string, value: string): boolean {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, "u");
    } catch {
      re = null;
    }
    patternCache.set(pattern, re);
  }
  return re ? re.test(value) : true;
}

function at(o: Obj | undefined, path: string): Obj | undefined {
  let cur: unknown = o;
  for (const p of path.split(".")) {
    if (!cur || typeof cur !== "object") return undefined;
    cur = (cur as Obj)[p];
  }
  return cur && typeof cur === "object" && !Array.isArray(cur) ? cur as Obj : undefined;
}

/**
 * A Store `validate` hook for a custom resource: the schema of everything but apiVersion/kind/metadata,
 * then the resource's named rules.
 */
export function crdValidator(schema: Obj, rules: NamedRule[] = []): (obj: Obj, old: Obj | undefined) => string[] {
  const props: Obj = schema.properties ?? {};
  return (obj, old) => {
    const errs: string[] = [];
    for (const [k, v] of Object.entries(obj)) {
      if (k === "apiVersion" || k === "kind" || k === "metadata") continue;
      if (props[k]) validateValue(props[k], v, k, errs);
    }
    for (const req of (schema.required ?? []) as string[]) {
      if (!["apiVersion", "kind", "metadata"].includes(req) && !Object.hasOwn(obj, req)) {
        errs.push(`${req}: Required value`);
      }
    }
    for (const rule of rules) {
      const self = at(obj, rule.path);
      if (self && !rule.check(self, at(old, rule.path))) {
        errs.push(`${rule.path}: Invalid value: "object": ${rule.message}`);
      }
    }
    return errs;
  };
}

/**
 * Fields the schema does not declare, pruned as kube-apiserver prunes them from custom resources
 * (apiVersion/kind/metadata excepted; `x-kubernetes-preserve-unknown-fields` and maps keep theirs; an
 * object schema without properties is taken to keep everything). Returns a pruned copy and the paths.
 */
export function pruneUnknownFields(schema: Obj, obj: Obj): { pruned: Obj; unknown: string[] } {
  const unknown: string[] = [];
  const props: Obj = schema.properties ?? {};
  const pruned: Obj = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k === "apiVersion" || k === "kind" || k === "metadata") pruned[k] = v;
    else if (props[k]) pruned[k] = pruneValue(props[k], v, k, unknown);
    else unknown.push(k);
  }
  return { pruned, unknown };
}

function pruneValue(schema: Obj, value: unknown, path: string, unknown: string[]): unknown {
  if (Array.isArray(value)) {
    return schema.items && typeof schema.items === "object"
      ? value.map((v, i) => pruneValue(schema.items, v, `${path}[${i}]`, unknown))
      : value;
  }
  if (goType(value) !== "object") return value;
  const o = value as Obj;
  const props: Obj | undefined = schema.properties;
  const additional = schema.additionalProperties;
  if (!props) {
    if (additional && typeof additional === "object") {
      return Object.fromEntries(
        Object.entries(o).map(([k, v]) => [k, pruneValue(additional, v, `${path}.${k}`, unknown)]),
      );
    }
    return o;
  }
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    const child = `${path}.${k}`;
    if (props[k]) out[k] = pruneValue(props[k], v, child, unknown);
    else if (schema["x-kubernetes-preserve-unknown-fields"] || additional === true) out[k] = v;
    else if (additional && typeof additional === "object") out[k] = pruneValue(additional, v, child, unknown);
    else unknown.push(child);
  }
  return out;
}
