/** The resources of one managed EKS add-on: the add-on, and its Pod Identity role when it needs AWS permissions. */
import type * as pulumi from "@pulumi/pulumi";
import * as awsEks from "@pulumi/aws/eks";
import * as iam from "@pulumi/aws/iam";
import { EKS_ADDON_VERSIONS } from "../versions";
import { managedPolicyArn, podIdentityTrustPolicy, policyJson } from "../lib/iam";
import type { AddonSpec } from "./addons";

/** What an add-on needs of its cluster. */
export interface AddonCluster {
  /** Physical name of the cluster (prefix of the add-on's role name). */
  readonly clusterName: string;
  /** The cluster's name as an Output of the cluster: the add-on waits for the cluster through it. */
  readonly clusterNameOutput: pulumi.Output<string>;
  readonly clusterArn: pulumi.Output<string>;
  readonly kubernetesVersion: string;
  readonly partition: pulumi.Output<string>;
  readonly accountId: pulumi.Output<string>;
  readonly tags: Readonly<Record<string, string>>;
}

/** One managed add-on, a child of `owner` (the EksCluster, so that URNs stay those it always had). */
export function declareAddon(
  owner: pulumi.ComponentResource,
  name: string,
  spec: AddonSpec,
  c: AddonCluster,
  dependsOn: pulumi.Resource[],
): { spec: AddonSpec; addon: awsEks.Addon; role?: iam.Role } {
  let role: iam.Role | undefined;
  if (spec.podIdentity) {
    role = new iam.Role(
      `${name}-${spec.name}`,
      {
        name: `${c.clusterName}-${spec.name}`,
        description: `${spec.name} add-on of EKS cluster ${c.clusterName}, through Pod Identity`,
        assumeRolePolicy: policyJson(
          podIdentityTrustPolicy({
            accountId: c.accountId,
            clusterArn: c.clusterArn,
            namespace: "kube-system",
            serviceAccount: spec.podIdentity.serviceAccount,
          }),
        ),
        tags: c.tags,
      },
      { parent: owner },
    );
    for (const policy of spec.podIdentity.managedPolicies) {
      new iam.RolePolicyAttachment(
        `${name}-${spec.name}-${policy.split("/").pop()}`,
        { role: role.name, policyArn: managedPolicyArn(c.partition, policy) },
        { parent: owner },
      );
    }
  }
  const tagging = spec.tagging?.(c.tags) ?? {};
  const configuration = spec.configurationValues || Object.keys(tagging).length > 0 ? { ...spec.configurationValues, ...tagging } : undefined;
  const addon = new awsEks.Addon(
    `${name}-${spec.name}`,
    {
      clusterName: c.clusterNameOutput,
      addonName: spec.name,
      addonVersion: EKS_ADDON_VERSIONS[c.kubernetesVersion]![spec.name],
      resolveConflictsOnCreate: "OVERWRITE",
      resolveConflictsOnUpdate: "PRESERVE",
      ...(configuration ? { configurationValues: JSON.stringify(configuration) } : {}),
      ...(role && spec.podIdentity ? { podIdentityAssociations: [{ roleArn: role.arn, serviceAccount: spec.podIdentity.serviceAccount }] } : {}),
      tags: c.tags,
    },
    { parent: owner, dependsOn },
  );
  return { spec, addon, ...(role ? { role } : {}) };
}
