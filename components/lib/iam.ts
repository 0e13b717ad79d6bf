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

/**
 * Trust policy of a role for EKS Pod Identity, limited to one cluster in one account so that no
 * other cluster's pods can assume it (confused-deputy protection).
 */
export function podIdentityTrustPolicy(accountId: pulumi.Input<string>, clusterArn: pulumi.Input<string>): PolicyDocument {
  return serviceTrustPolicy("pods.eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"], {
    StringEquals: { "aws:SourceAccount": accountId },
    ArnEquals: { "aws:SourceArn": clusterArn },
  });
}
