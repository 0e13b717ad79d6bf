import * as pulumi from "@pulumi/pulumi";
import * as iam from "@pulumi/aws/iam";
import { PodIdentityAssociation } from "@pulumi/aws/eks/podIdentityAssociation";
import { ComponentArgumentError, PHYSICAL_NAME, requireThat, withDefaults } from "../lib/args";
import { podIdentityTrustPolicy, policyJson } from "../lib/iam";
import { DATA_ACCESS_LEVELS, dataAccessPolicy, normaliseGrants, prefixProblem, type DataGrant } from "./data-access";
import { isAwsRegionName, isDnsLabel, isDnsSubdomain } from "../lib/names";

export interface WorkloadIdentityArgs {
  /** Physical name of the IAM role (at most 64 characters). */
  readonly roleName: string;
  /** Name of the EKS cluster whose pods use the role. */
  readonly clusterName: pulumi.Input<string>;
  /** ARN of that cluster: the trust policy accepts only its Pod Identity sessions. */
  readonly clusterArn: pulumi.Input<string>;
  /** Account of the cluster and the role. */
  readonly accountId: pulumi.Input<string>;
  /** The team's namespace (created elsewhere, such as by TeamNamespace). */
  readonly namespace: pulumi.Input<string>;
  /** The Kubernetes service account whose pods get the role (created elsewhere; this component does not create it). */
  readonly serviceAccount: string;
  /** ARN of the data bucket. */
  readonly bucketArn: pulumi.Input<string>;
  /** ARN of the data bucket's SSE-KMS key. */
  readonly bucketKeyArn: pulumi.Input<string>;
  /** Region of the data bucket and its key. */
  readonly bucketRegion: string;
  /** Prefixes of the data bucket and the access to each; at least one, no prefix twice. */
  readonly grants: readonly DataGrant[];
  /**
   * Tags for the role and the association.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export const WORKLOAD_IDENTITY_DEFAULTS = { tags: {} } satisfies Partial<WorkloadIdentityArgs>;

const COMPONENT = "WorkloadIdentity";
/** Kubernetes object names (RFC 1123 subdomain for service accounts; namespaces are labels, checked the same way when known). */

/**
 * The AWS identity of one team's workloads: an IAM role that only EKS Pod Identity may assume, for one
 * service account in one namespace of one cluster; a Pod Identity association binding it to that
 * service account; and read or read-write on prefixes of the data bucket, with the bucket key used
 * only through S3 and only for this bucket. Pods of the service account get credentials from the Pod
 * Identity agent; Mountpoint volumes with `authenticationSource: pod` (S3PrefixVolume) use them too.
 */
export class WorkloadIdentity extends pulumi.ComponentResource {
  readonly roleArn: pulumi.Output<string>;
  readonly roleName: pulumi.Output<string>;
  readonly association: PodIdentityAssociation;

  constructor(name: string, args: WorkloadIdentityArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = withDefaults(WORKLOAD_IDENTITY_DEFAULTS, args);
    requireThat(
      PHYSICAL_NAME.test(a.roleName) && a.roleName.length <= 64,
      COMPONENT,
      "roleName",
      a.roleName,
      "must be 2-64 lowercase letters, digits and hyphens, starting with a letter (an IAM role name)",
    );
    requireThat(
      isDnsSubdomain(a.serviceAccount),
      COMPONENT,
      "serviceAccount",
      a.serviceAccount,
      "must be a Kubernetes object name (lowercase RFC 1123 subdomain, at most 253 characters)",
    );
    if (typeof a.namespace === "string")
      requireThat(isDnsLabel(a.namespace), COMPONENT, "namespace", a.namespace, "must be a namespace name (RFC 1123 label, at most 63 characters)");
    requireThat(isAwsRegionName(a.bucketRegion), COMPONENT, "bucketRegion", a.bucketRegion, "must be an AWS region name such as us-west-2");
    requireThat(a.grants.length > 0, COMPONENT, "grants", a.grants, "must name at least one prefix of the data bucket");
    for (const g of a.grants) {
      const problem = prefixProblem(g.prefix);
      requireThat(problem === undefined, COMPONENT, "grants.prefix", g.prefix, problem ?? "");
      requireThat(
        g.access === undefined || (DATA_ACCESS_LEVELS as readonly string[]).includes(g.access),
        COMPONENT,
        "grants.access",
        g.access,
        `must be one of ${DATA_ACCESS_LEVELS.join(", ")}`,
      );
    }
    const grants = normaliseGrants(a.grants);
    const seen = new Set<string>();
    for (const g of grants) {
      if (seen.has(g.prefix)) throw new ComponentArgumentError(COMPONENT, "grants", a.grants, `names prefix "${g.prefix}" more than once`);
      seen.add(g.prefix);
    }
    super("highmem:workloads:WorkloadIdentity", name, {}, opts);

    const role = new iam.Role(
      name,
      {
        name: a.roleName,
        description: pulumi.interpolate`Pod Identity role of ${a.namespace}/${a.serviceAccount}; data bucket prefixes in its inline policy`,
        assumeRolePolicy: policyJson(
          podIdentityTrustPolicy({ accountId: a.accountId, clusterArn: a.clusterArn, namespace: a.namespace, serviceAccount: a.serviceAccount }),
        ),
        tags: a.tags,
      },
      { parent: this },
    );
    const policy = new iam.RolePolicy(
      `${name}-data`,
      {
        role: role.name,
        policy: pulumi
          .all([a.bucketArn, a.bucketKeyArn])
          .apply(([bucketArn, keyArn]) => JSON.stringify(dataAccessPolicy({ bucketArn, keyArn, region: a.bucketRegion, grants }))),
      },
      { parent: this },
    );
    // After the policy: a pod that gets the role's credentials can use them at once.
    this.association = new PodIdentityAssociation(
      name,
      { clusterName: a.clusterName, namespace: a.namespace, serviceAccount: a.serviceAccount, roleArn: role.arn, tags: a.tags },
      { parent: this, dependsOn: [policy] },
    );
    this.roleArn = role.arn;
    this.roleName = role.name;
    this.registerOutputs({ roleArn: this.roleArn, roleName: this.roleName, association: this.association.associationArn });
  }
}
