/**
 * The reference high-memory workloads (the referenceWorkloads key): each a HighMemoryWorkload in its
 * team's namespace, built only with the workload helpers, reading the team's data prefix through a
 * Mountpoint for Amazon S3 volume with the team's own Pod Identity role, with /dev/shm and local NVMe
 * scratch. In the plan, they give every check a real high-memory pod: the schemas, the policy pack,
 * the first-deploy simulation (placement on a tainted pool, the claim, the CSI add-on and the Pod
 * Identity association first) and the cost model. On a real cluster a Job is a smoke test of the
 * same path: `pulumi up` waits for it to complete.
 */
import type * as pulumi from "@pulumi/pulumi";
import type * as awsEks from "@pulumi/aws/eks";
import { HighMemoryWorkload, POOL_ROLE_LABEL, S3PrefixVolume } from "../components/internal";
import type { EksCluster, NodePoolDefinition, TeamNamespace, WorkloadAutoscaling } from "../components/internal";
import type { EnvironmentConfig } from "./config/environment";

export interface ReferenceWorkloadContext {
  readonly cluster: EksCluster;
  readonly teams: readonly TeamNamespace[];
  /** The data bucket the workloads read. */
  readonly bucketName: pulumi.Input<string>;
  /** The add-ons installed after worker nodes: the Mountpoint CSI driver is among them. */
  readonly workerAddons: readonly awsEks.Addon[];
  /** Every node pool component, with its definition: the workloads wait for the high-memory ones. */
  readonly pools: readonly { readonly definition: NodePoolDefinition; readonly component: pulumi.Resource }[];
  /** KEDA and the VPA recommender: the workload's VerticalPodAutoscaler needs its CRD. */
  readonly autoscaling: WorkloadAutoscaling;
  /** The admission policies, when the stack has them: the workload is created after them, so that a deploy proves they admit it. */
  readonly admission?: pulumi.Resource;
}

/** Where the workload sees the team's data prefix. */
export const REFERENCE_DATA_PATH = "/data";

export function composeReferenceWorkloads(env: EnvironmentConfig, c: ReferenceWorkloadContext): HighMemoryWorkload[] {
  const highMemoryPools = c.pools.filter((p) => p.definition.labels[POOL_ROLE_LABEL] === "high-memory").map((p) => p.component);
  return env.referenceWorkloads.map((w) => {
    // Config resolution checked that the team exists and holds the prefix (resolve/reference-workloads.ts).
    const team = c.teams[env.teams.findIndex((t) => t.name === w.team)]!;
    const volume = new S3PrefixVolume(
      `${w.team}-${w.name}-data`,
      { name: `${w.name}-data`, namespace: w.team, bucketName: c.bucketName, region: env.region, prefix: w.prefix, provider: c.cluster.provider },
      { dependsOn: [team] },
    );
    return new HighMemoryWorkload(
      `${w.team}-${w.name}`,
      {
        name: w.name,
        namespace: team.namespaceName,
        provider: c.cluster.provider,
        serviceAccountName: team.serviceAccountName,
        priorityClassName: team.priorityClassNames.workload,
        kind: w.kind,
        replicas: w.replicas,
        memoryGiB: w.memoryGiB,
        cpu: w.cpu,
        ...(w.scratchGiB > 0 ? { scratch: { kind: "local-nvme" as const, sizeGiB: w.scratchGiB } } : {}),
        readOnlyClaims: [{ claimName: volume.claimName, mountPath: REFERENCE_DATA_PATH }],
        verticalPodAutoscalerDependsOn: [c.autoscaling],
      },
      // The team (namespace, ServiceAccount, Pod Identity association), the claim, the CSI driver and the pools first.
      { dependsOn: [team, volume, ...c.workerAddons, ...highMemoryPools, ...(c.admission ? [c.admission] : [])] },
    );
  });
}
