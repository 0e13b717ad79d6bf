/** IAM policy documents as typed values, rendered to JSON at the edge. */
import * as pulumi from "@pulumi/pulumi";

export interface PolicyStatement {
  readonly Sid?: string;
  readonly Effect: "Allow" | "Deny";
  readonly Principal?: Readonly<Record<string, string | readonly string[]>> | "*";
  readonly Action: string | readonly string[];
  readonly Resource?: pulumi.Input<string> | readonly pulumi.Input<string>[];
  readonly Condition?: Readonly<Record<string, Readonly<Record<string, pulumi.Input<string> | readonly pulumi.Input<string>[]>>>>;
}

export interface PolicyDocument {
  readonly Version: "2012-10-17";
  readonly Statement: readonly PolicyStatement[];
}

/** Resolves every Input inside the document and returns its JSON. */
export function policyJson(doc: PolicyDocument): pulumi.Output<string> {
  return pulumi.jsonStringify(pulumi.output(doc));
}

/** Trust policy for a role assumed by an AWS service (ec2.amazonaws.com, pods.eks.amazonaws.com). */
export function serviceTrustPolicy(
  service: string,
  actions: readonly string[],
  condition?: PolicyStatement["Condition"],
): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: actions, ...(condition ? { Condition: condition } : {}) }],
  };
}

/** ARN of an AWS managed policy in the given partition. */
export function managedPolicyArn(partition: pulumi.Input<string>, name: string): pulumi.Output<string> {
  return pulumi.interpolate`arn:${partition}:iam::aws:policy/${name}`;
}

/** Who may assume a Pod Identity role: one service account of one namespace of one cluster, in one account. */
export interface PodIdentityTrust {
  readonly accountId: pulumi.Input<string>;
  /** ARN of the EKS cluster whose Pod Identity associations may use the role. */
  readonly clusterArn: pulumi.Input<string>;
  /** May be an Output: a namespace declared in the same program. */
  readonly namespace: pulumi.Input<string>;
  readonly serviceAccount: string;
}

/**
 * Trust policy of a role for EKS Pod Identity, limited to one service account in one namespace of one
 * cluster in this account. Sources of each key:
 * - "Create IAM role with trust policy required by EKS Pod Identity"
 *   (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html; awsdocs/amazon-eks-user-guide
 *   latest/ug/manage-access/aws-access/pod-id-role.adoc): principal pods.eks.amazonaws.com, actions
 *   sts:AssumeRole and sts:TagSession; the request tags eks-cluster-arn, eks-cluster-name,
 *   kubernetes-namespace, kubernetes-service-account (and pod name/uid) restrict which service
 *   accounts, namespaces and clusters may use the role, as aws:RequestTag/<tag> conditions.
 * - "Grant Pods access to AWS resources based on tags" (pod-id-abac.adoc): the same six session tags,
 *   on by default; an association with session tags disabled would be refused by this policy.
 * - aws:SourceAccount: an IAM global condition key; the EKS pages above do not show it, but a trust
 *   policy with it alone was reported to work with Pod Identity (awslabs/mountpoint-s3-csi-driver#781).
 *   The cluster ARN tag pins the account as well, since the ARN holds it.
 * aws:SourceArn is documented nowhere for Pod Identity, and the same report found a trust policy
 * conditioned on it stopped credentials.
 */
export function podIdentityTrustPolicy(t: PodIdentityTrust): PolicyDocument {
  return serviceTrustPolicy("pods.eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"], {
    StringEquals: {
      "aws:SourceAccount": t.accountId,
      "aws:RequestTag/eks-cluster-arn": t.clusterArn,
      "aws:RequestTag/kubernetes-namespace": t.namespace,
      "aws:RequestTag/kubernetes-service-account": t.serviceAccount,
    },
  });
}
