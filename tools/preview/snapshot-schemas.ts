/**
 * Schemas of the snapshot.storage.k8s.io kinds the platform declares. No @kubernetes-models package
 * covers kubernetes-csi/external-snapshotter (the npm registry has no @kubernetes-models/external-snapshotter,
 * and neither @kubernetes-models/gke 4.6.2 nor the others ship this group), so the v1
 * VolumeSnapshotClass schema of the CRD the snapshot-controller add-on installs is written out here,
 * from kubernetes-csi/external-snapshotter@v8.3.0 (the add-on's upstream)
 * client/config/crd/snapshot.storage.k8s.io_volumesnapshotclasses.yaml, version v1: properties apiVersion, kind, metadata, driver (string),
 * deletionPolicy (enum Delete, Retain), parameters (map of strings); required driver and deletionPolicy.
 * It raises like the kubernetes-models classes do, with an `errors` list of instancePath and message.
 */
type SchemaError = { instancePath: string; message: string };

class SchemaViolation extends Error {
  constructor(readonly errors: SchemaError[]) {
    super(errors.map((e) => `${e.instancePath} ${e.message}`).join("; "));
  }
}

const VOLUME_SNAPSHOT_CLASS_FIELDS = new Set(["apiVersion", "kind", "metadata", "driver", "deletionPolicy", "parameters"]);

/** The problems of one VolumeSnapshotClass object against the v1 CRD schema (empty when it matches). */
export function volumeSnapshotClassProblems(data: unknown): SchemaError[] {
  const errors: SchemaError[] = [];
  if (typeof data !== "object" || data === null || Array.isArray(data)) return [{ instancePath: "/", message: "must be object" }];
  const o = data as Record<string, unknown>;
  for (const key of Object.keys(o))
    if (!VOLUME_SNAPSHOT_CLASS_FIELDS.has(key))
      errors.push({ instancePath: `/${key}`, message: "is not a field of VolumeSnapshotClass (the API server prunes it)" });
  if (o["apiVersion"] !== undefined && o["apiVersion"] !== "snapshot.storage.k8s.io/v1")
    errors.push({ instancePath: "/apiVersion", message: "must be snapshot.storage.k8s.io/v1" });
  if (o["kind"] !== undefined && o["kind"] !== "VolumeSnapshotClass") errors.push({ instancePath: "/kind", message: "must be VolumeSnapshotClass" });
  if (typeof o["driver"] !== "string" || o["driver"] === "") errors.push({ instancePath: "/driver", message: "is required (a string)" });
  if (o["deletionPolicy"] !== "Delete" && o["deletionPolicy"] !== "Retain")
    errors.push({ instancePath: "/deletionPolicy", message: "is required, one of Delete, Retain" });
  const parameters = o["parameters"];
  if (parameters !== undefined) {
    if (typeof parameters !== "object" || parameters === null || Array.isArray(parameters))
      errors.push({ instancePath: "/parameters", message: "must be object" });
    else
      for (const [k, v] of Object.entries(parameters)) if (typeof v !== "string") errors.push({ instancePath: `/parameters/${k}`, message: "must be string" });
  }
  const metadata = o["metadata"];
  if (metadata !== undefined && (typeof metadata !== "object" || metadata === null || Array.isArray(metadata)))
    errors.push({ instancePath: "/metadata", message: "must be object" });
  return errors;
}

/** Model classes by Pulumi type token, shaped like the kubernetes-models ones. */
export const LOCAL_MODELS: Readonly<Record<string, new (data: unknown) => { validate(): void }>> = {
  "kubernetes:snapshot.storage.k8s.io/v1:VolumeSnapshotClass": class {
    constructor(private readonly data: unknown) {}
    validate(): void {
      const errors = volumeSnapshotClassProblems(this.data);
      if (errors.length > 0) throw new SchemaViolation(errors);
    }
  },
};
