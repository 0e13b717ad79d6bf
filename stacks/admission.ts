/**
 * Checks inside the cluster (the admissionPolicies key): Kyverno on the system nodes and the
 * ValidatingPolicies of team namespaces, or nothing when the key is off.
 */
import type * as pulumi from "@pulumi/pulumi";
import { AdmissionController, type EksCluster } from "../components/internal";
import type { EnvironmentConfig } from "./config/environment";

export function composeAdmission(env: EnvironmentConfig, cluster: EksCluster, dependsOn: readonly pulumi.Resource[]): AdmissionController | undefined {
  const { mode, replicas } = env.cluster.admission;
  if (mode === "off") return undefined;
  // allowedRegistries: none yet, so no registry policy; the stack's image registry list belongs here
  // once the config has one.
  return new AdmissionController("admission", { provider: cluster.provider, mode, admissionReplicas: replicas }, { dependsOn: [...dependsOn] });
}
