/**
 * `as=Table` responses (meta.k8s.io/v1 Table) so `kubectl get` prints the columns a real cluster prints:
 * the CRD's additionalPrinterColumns (JSONPath, dates as ages), a few built-in kinds' columns, else NAME
 * and AGE.
 */
import { loadCrds } from "../resources.ts";
import type { Obj, ResourceDef } from "../store.ts";

interface Column {
  name: string;
  type: string;
  format?: string;
  description: string;
  priority: number;
  cell(o: Obj, now: number): unknown;
}

/** Kubernetes' HumanDuration: "45s", "5m", "3h", "2d", "1y" with the same rounding steps. */
export function humanAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  const d = Math.floor(h / 24);
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  return `${Math.floor(d / 365)}y`;
}

const age = (ts: unknown, now: number) => typeof ts === "string" ? humanAge(now - Date.parse(ts)) : "<unknown>";

/** A small JSONPath for printer columns: `.a.b`, `[n]`, `[*]`, `[?(@.k=="v")]`, `\.` escapes. */
export function jsonPathValues(obj: unknown, path: string): unknown[] {
  const tokens: ({ field: string } | { index: number } | { all: true } | { filter: [string, string] })[] = [];
  let i = 0;
  while (i < path.length) {
    const c = path[i];
    if (c === ".") {
      let name = "";
      i++;
      while (i < path.length && path[i] !== "." && path[i] !== "[") {
        if (path[i] === "\\" && i + 1 < path.length) {
          name += path[i + 1];
          i += 2;
        } else name += path[i++];
      }
      if (name) tokens.push({ field: name });
    } else if (c === "[") {
      const end = path.indexOf("]", i);
      const inner = path.slice(i + 1, end < 0 ? path.length : end);
      i = end < 0 ? path.length : end + 1;
      const f = inner.match(/^\?\(@\.([\w.-]+)\s*==\s*["']([^"']*)["']\)$/);
      if (inner === "*") tokens.push({ all: true });
      else if (f) tokens.push({ filter: [f[1], f[2]] });
      else if (/^\d+$/.test(inner)) tokens.push({ index: Number(inner) });
      else if (/^["'].*["']$/.test(inner)) tokens.push({ field: inner.slice(1, -1) });
    } else i++;
  }
  let cur: unknown[] = [obj];
  for (const t of tokens) {
    const next: unknown[] = [];
    for (const v of cur) {
      if (v === null || v === undefined) continue;
      if ("field" in t) {
        if (typeof v === "object" && !Array.isArray(v) && t.field in (v as Obj)) next.push((v as Obj)[t.field]);
      } else if ("index" in t) {
        if (Array.isArray(v) && t.index < v.length) next.push(v[t.index]);
      } else if ("all" in t) {
        if (Array.isArray(v)) next.push(...v);
        else if (typeof v === "object") next.push(...Object.values(v as Obj));
      } else if (Array.isArray(v)) {
        next.push(...v.filter((x) => x && typeof x === "object" && String((x as Obj)[t.filter[0]]) === t.filter[1]));
      }
    }
    cur = next;
  }
  return cur;
}

function formatCell(values: unknown[], type: string, now: number): unknown {
  if (values.length === 0) return null;
  if (type === "date") return age(values[0], now);
  const text = values.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v)));
  if ((type === "integer" || type === "number") && values.length === 1 && typeof values[0] === "number") {
    return values[0];
  }
  return text.join(",");
}

const nameColumn: Column = {
  name: "Name",
  type: "string",
  format: "name",
  description: "Name must be unique within a namespace.",
  priority: 0,
  cell: (o) => o.metadata.name,
};
const ageColumn: Column = {
  name: "Age",
  type: "string",
  description: "CreationTimestamp is a timestamp representing the server time when this object was created.",
  priority: 0,
  cell: (o, now) => age(o.metadata.creationTimestamp, now),
};

const col = (name: string, cell: Column["cell"], type = "string", priority = 0): Column => ({
  name,
  type,
  description: name,
  priority,
  cell,
});

function podReady(o: Obj): string {
  const cs: Obj[] = o.status?.containerStatuses ?? [];
  const total = (o.spec?.containers ?? []).length || cs.length;
  return `${cs.filter((c) => c.ready).length}/${total}`;
}

function nodeStatus(o: Obj): string {
  const ready = (o.status?.conditions ?? []).find((c: Obj) => c.type === "Ready");
  let s = ready?.status === "True" ? "Ready" : ready ? "NotReady" : "Unknown";
  if (o.spec?.unschedulable) s += ",SchedulingDisabled";
  return s;
}

function nodeRoles(o: Obj): string {
  const roles = Object.keys(o.metadata.labels ?? {}).filter((l) => l.startsWith("node-role.kubernetes.io/"))
    .map((l) => l.slice("node-role.kubernetes.io/".length)).filter((r) => r).sort();
  return roles.length ? roles.join(",") : "<none>";
}

const builtinColumns: Record<string, Column[]> = {
  "core/pods": [
    nameColumn,
    col("Ready", podReady),
    col("Status", (o) => o.metadata.deletionTimestamp ? "Terminating" : o.status?.reason ?? o.status?.phase ?? ""),
    col(
      "Restarts",
      (o) => (o.status?.containerStatuses ?? []).reduce((n: number, c: Obj) => n + (c.restartCount ?? 0), 0),
      "string",
    ),
    ageColumn,
    col("IP", (o) => o.status?.podIP ?? "<none>", "string", 1),
    col("Node", (o) => o.spec?.nodeName ?? "<none>", "string", 1),
  ],
  "core/nodes": [
    nameColumn,
    col("Status", nodeStatus),
    col("Roles", nodeRoles),
    ageColumn,
    col("Version", (o) => o.status?.nodeInfo?.kubeletVersion ?? ""),
  ],
  "core/namespaces": [nameColumn, col("Status", (o) => o.status?.phase ?? ""), ageColumn],
  "core/configmaps": [nameColumn, col("Data", (o) => Object.keys(o.data ?? {}).length, "integer"), ageColumn],
  "apps/daemonsets": [
    nameColumn,
    col("Desired", (o) => o.status?.desiredNumberScheduled ?? 0, "integer"),
    col("Current", (o) => o.status?.currentNumberScheduled ?? 0, "integer"),
    col("Ready", (o) => o.status?.numberReady ?? 0, "integer"),
    col("Up-to-date", (o) => o.status?.updatedNumberScheduled ?? 0, "integer"),
    col("Available", (o) => o.status?.numberAvailable ?? 0, "integer"),
    col(
      "Node Selector",
      (o) =>
        Object.entries(o.spec?.template?.spec?.nodeSelector ?? {}).map(([k, v]) => `${k}=${v}`).join(",") || "<none>",
    ),
    ageColumn,
  ],
  "apps/deployments": [
    nameColumn,
    col("Ready", (o) => `${o.status?.readyReplicas ?? 0}/${o.spec?.replicas ?? 1}`),
    col("Up-to-date", (o) => o.status?.updatedReplicas ?? 0, "integer"),
    col("Available", (o) => o.status?.availableReplicas ?? 0, "integer"),
    ageColumn,
  ],
};

let crdColumns: Map<string, Column[]> | undefined;

function columnsFor(def: ResourceDef): Column[] {
  const key = `${def.group || "core"}/${def.resource}`;
  if (builtinColumns[key]) return builtinColumns[key];
  if (!crdColumns) {
    crdColumns = new Map();
    for (const c of loadCrds()) {
      if (!c.printerColumns?.length) continue;
      crdColumns.set(
        `${c.def.group}/${c.def.resource}`,
        [
          nameColumn,
          ...c.printerColumns.map((p: Obj) => ({
            name: p.name,
            type: p.type ?? "string",
            format: p.format,
            description: p.description ?? "",
            priority: p.priority ?? 0,
            cell: (o: Obj, now: number) => formatCell(jsonPathValues(o, p.jsonPath), p.type ?? "string", now),
          })),
        ],
      );
    }
  }
  return crdColumns.get(key) ?? [nameColumn, ageColumn];
}

/** A meta.k8s.io/v1 Table of `items`; `includeObject` (None|Metadata|Object) as the API server honours it. */
export function tableFor(def: ResourceDef, items: Obj[], resourceVersion: string, query: URLSearchParams, now: number) {
  const cols = columnsFor(def);
  const include = query.get("includeObject") ?? "Metadata";
  return {
    kind: "Table",
    apiVersion: "meta.k8s.io/v1",
    metadata: { resourceVersion } as Obj,
    columnDefinitions: cols.map(({ cell: _c, ...c }) => c),
    rows: items.map((o) => {
      const row: Obj = { cells: cols.map((c) => c.cell(o, now) ?? null) };
      if (include === "Object") row.object = o;
      else if (include !== "None") {
        row.object = { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: o.metadata };
      }
      return row;
    }),
  };
}
