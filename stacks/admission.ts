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
  // The same registry list and digest setting the policy pack checks the plan's pods against
  // (imageRegistries, requireImageDigests), so a team's own deploys meet the same rule.
  return new AdmissionController(
    "admission",
    {
      provider: cluster.provider,
      mode,
      admissionReplicas: replicas,
      allowedRegistries: env.cluster.imageRegistries,
      requireImageDigests: env.cluster.requireImageDigests,
    },
    { dependsOn: [...dependsOn] },
  );
}
