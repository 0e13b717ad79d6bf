/**
 * Growing the Redis volumes without losing the pods or their data.
 *
 * Kubernetes facts this relies on (Kubernetes 1.33/1.34):
 * - A StatefulSet's volumeClaimTemplates cannot be updated (ValidateStatefulSetUpdate allows only
 *   replicas, ordinals, template, updateStrategy, persistentVolumeClaimRetentionPolicy and
 *   minReadySeconds), and pulumi-kubernetes replaces a StatefulSet when they change (provider
 *   diff.go forceNew). Changing the template through the StatefulSet (KEP-661, then KEP-4650
 *   "StatefulSet Support for Updating Volume Claim Template") is not in 1.33 or 1.34: KEP-4650
 *   targets alpha in 1.35 (kubernetes/enhancements#6150).
 * - A claim made from a template is named `<template>-<statefulset>-<ordinal>` and is kept when
 *   the StatefulSet is deleted under `persistentVolumeClaimRetentionPolicy.whenDeleted: Retain`
 *   (kubernetes.io/docs/concepts/workloads/controllers/statefulset/, "Volume Claim Templates" and
 *   "PersistentVolumeClaim retention"); a new template never resizes claims that exist.
 * - A bound claim can be grown (never shrunk) by raising spec.resources.requests.storage when its
 *   StorageClass has allowVolumeExpansion (kubernetes.io/docs/concepts/storage/persistent-volumes/,
 *   "Expanding Persistent Volumes Claims"; both classes of components/storage allow it).
 * - Deleting a StatefulSet with propagation "orphan" leaves its pods running; a new StatefulSet of
 *   the same name and selector adopts them (kubernetes.io/docs/concepts/architecture/garbage-collection/,
 *   "Orphaned dependents"; the StatefulSet docs' `kubectl delete --cascade=orphan`). pulumi-kubernetes
 *   deletes with the propagation its `pulumi.com/deletionPropagationPolicy` annotation names
 *   (new in v4.12.0; registry docs, kubernetes installation-configuration, "pulumi.com/deletionPropagationPolicy").
 * - pulumi-kubernetes replaces an object whose metadata.name is fixed by deleting it first (its
 *   Diff sets DeleteBeforeReplace when the object is not autonamed and keeps its name and
 *   namespace: provider/pkg/provider/provider.go), so a replaced StatefulSet is deleted, then
 *   created again, and the annotation read at deletion is the deployed object's
 *   (provider/pkg/metadata DeletionPropagation, Foreground when absent).
 * - The engine refuses to replace a protected resource unless the program lifts the protection in
 *   the same update (pulumi/pulumi pkg/resource/deploy/step_generator.go: "we do allow unprotecting
 *   and replacing to happen in a single update cycle").
 * - Patch resources (`PersistentVolumeClaimPatch`, @pulumi/kubernetes 4.34.2
 *   core/v1/persistentVolumeClaimPatch.d.ts) change fields of an existing object by server-side
 *   apply; `pulumi.com/patchForce` takes over fields another manager holds (the claim's size is
 *   the StatefulSet controller's until then).
 */
import type * as pulumi from "@pulumi/pulumi";
import { PersistentVolumeClaimPatch } from "@pulumi/kubernetes/core/v1/persistentVolumeClaimPatch";

/** The annotation pulumi-kubernetes reads when it deletes an object, and the value that keeps dependents. */
export const DELETION_PROPAGATION_ANNOTATION = "pulumi.com/deletionPropagationPolicy";
export const ORPHAN = "orphan";
/** Server-side apply option of pulumi-kubernetes Patch resources: take fields another manager holds. */
export const PATCH_FORCE_ANNOTATION = "pulumi.com/patchForce";

/** Names of the claims a StatefulSet's template made for its first `pods` ordinals. */
export function claimNames(templateName: string, statefulSetName: string, pods: number): string[] {
  return Array.from({ length: pods }, (_, i) => `${templateName}-${statefulSetName}-${i}`);
}

/**
 * Why growing the volumes from `fromGiB` to `toGiB` cannot be done, or undefined when it can.
 * `fromGiB` is the size the pods' claims have now (the previous storageGiB).
 */
export function resizeProblem(fromGiB: number, toGiB: number): string | undefined {
  if (!Number.isInteger(fromGiB) || fromGiB < 1) return "must be the whole number of GiB the volumes have now";
  if (toGiB < fromGiB)
    return `volumes cannot shrink: the claims have ${fromGiB} GiB and Kubernetes refuses a smaller request (${toGiB} GiB); keep at least ${fromGiB} GiB, or move the data to a new cluster`;
  if (toGiB === fromGiB) return `is the size asked for (${toGiB} GiB): nothing to grow; remove it once the resize is done`;
  return undefined;
}

/**
 * Grows the claims of a StatefulSet's `data` template to `storageGiB`, one Patch per pod. Dropped
 * from the program later, a Patch leaves its claim as it is (retainOnDelete): Kubernetes cannot
 * shrink a claim anyway, and nothing else should take its size back.
 */
export function growClaims(
  name: string,
  claims: { readonly namespace: string; readonly statefulSetName: string; readonly pods: number; readonly storageGiB: number },
  opts: pulumi.CustomResourceOptions,
): PersistentVolumeClaimPatch[] {
  return claimNames("data", claims.statefulSetName, claims.pods).map(
    (claim, i) =>
      new PersistentVolumeClaimPatch(
        `${name}-data-${i}`,
        {
          metadata: { name: claim, namespace: claims.namespace, annotations: { [PATCH_FORCE_ANNOTATION]: "true" } },
          spec: { resources: { requests: { storage: `${claims.storageGiB}Gi` } } },
        },
        { ...opts, retainOnDelete: true },
      ),
  );
}
