/**
 * A pod's persistentVolumeClaim volumes, resolved against the claims and volumes of the plan: a claim
 * bound to a Mountpoint for Amazon S3 volume (CSI driver s3.csi.aws.com, statically provisioned:
 * awslabs/mountpoint-s3-csi-driver@v2.7.0 docs/CONFIGURATION.md) keeps no data on the node and needs
 * the claim and the driver add-on before the pod; any other claim counts by its StorageClass (""
 * when unset or not in the plan, as before: the cluster's default class).
 */
import type { PlanResource } from "../plan";
import type { PlannedPod } from "./pod-spec";
import { at, str } from "./values";

const PVC_TYPE = "kubernetes:core/v1:PersistentVolumeClaim";
const PV_TYPE = "kubernetes:core/v1:PersistentVolume";
const S3_CSI_DRIVER = "s3.csi.aws.com";

export interface S3Claim {
  readonly claimName: string;
  readonly claim: PlanResource;
  /** `authenticationSource: pod`: the mount uses the pod's own Pod Identity credentials. */
  readonly podCredentials: boolean;
}

export interface ResolvedClaims {
  /** StorageClasses of the claims that are not S3 volumes. */
  readonly storageClasses: readonly string[];
  readonly s3: readonly S3Claim[];
}

export function resolveClaims(pod: PlannedPod, resources: readonly PlanResource[]): ResolvedClaims {
  const storageClasses: string[] = [];
  const s3: S3Claim[] = [];
  for (const claimName of pod.claims ?? []) {
    const claim = resources.find(
      (r) =>
        r.type === PVC_TYPE && str(at(r.inputs, "metadata.name")) === claimName && (str(at(r.inputs, "metadata.namespace")) ?? "default") === pod.namespace,
    );
    const volumeName = claim ? str(at(claim.inputs, "spec.volumeName")) : undefined;
    const volume = volumeName ? resources.find((r) => r.type === PV_TYPE && str(at(r.inputs, "metadata.name")) === volumeName) : undefined;
    if (claim && volume && str(at(volume.inputs, "spec.csi.driver")) === S3_CSI_DRIVER) {
      s3.push({ claimName, claim, podCredentials: str(at(volume.inputs, "spec.csi.volumeAttributes.authenticationSource")) === "pod" });
    } else storageClasses.push((claim ? str(at(claim.inputs, "spec.storageClassName")) : undefined) ?? "");
  }
  return { storageClasses, s3 };
}
