/** What the first-deploy simulation reports: one finding per need that is not met in time. */

/** The classes of first-deploy failure the simulation looks for. */
export const DEPLOY_CHECKS = {
  "cluster-first": "a resource that acts on the EKS cluster is created before the cluster exists",
  "crd-first": "a custom resource is created before the CustomResourceDefinition of its kind",
  "namespace-first": "a namespaced object or Helm release is created before its namespace",
  "capacity-first": "pods are created before any node group or node pool that can run them",
  "no-capacity": "pods that no node group or node pool of the stack can run",
  "storage-first": "a volume claim is made before its StorageClass or the EBS CSI driver exists",
  "identity-first": "pods start before the Pod Identity association (or agent) that gives them AWS credentials",
  "node-access-first": "a node pool can launch nodes before their role may join the cluster",
  "stateful-placement": "a stateful workload may be placed on a pool that consolidates or expires its nodes",
  "unknown-chart": "a Helm chart whose pods the simulation cannot model",
  "selector-overlap": "a Service or PodDisruptionBudget selects the pods of more than one workload",
} as const;

export type DeployCheck = keyof typeof DEPLOY_CHECKS;

export interface DeployFinding {
  readonly check: DeployCheck;
  /** The resource that would fail (or whose pods would never run). */
  readonly urn: string;
  readonly message: string;
}
