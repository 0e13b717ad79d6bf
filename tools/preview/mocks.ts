/**
 * Runtime mocks that answer like AWS and EKS would: realistic ids, ARNs and a kubeconfig, derived
 * deterministically from resource names so that two previews of the same program are identical
 * (plan diffs compare them). Every registration is recorded for the plan.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

export const MOCK_ACCOUNT_ID = "123456789012";

export interface MockRegistration {
  readonly type: string;
  readonly name: string;
  readonly inputs: Record<string, unknown>;
  /** "urn::id" of the explicit provider, as the SDK sends it. */
  readonly provider?: string;
  readonly custom: boolean;
}

/** Remote (multi-language) components whose outputs the mocks must supply. */
const REMOTE_COMPONENTS = new Set(["eks:index:Cluster"]);

const hex = (seed: string, length: number) => createHash("sha256").update(seed).digest("hex").slice(0, length);

/** EC2-style ids by resource type. */
const EC2_ID_PREFIX: Record<string, string> = {
  "aws:ec2/vpc:Vpc": "vpc",
  "aws:ec2/subnet:Subnet": "subnet",
  "aws:ec2/internetGateway:InternetGateway": "igw",
  "aws:ec2/natGateway:NatGateway": "nat",
  "aws:ec2/eip:Eip": "eipalloc",
  "aws:ec2/routeTable:RouteTable": "rtb",
  "aws:ec2/securityGroup:SecurityGroup": "sg",
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
  "aws:ec2/launchTemplate:LaunchTemplate": "lt",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
  "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
};

function kubeconfigFor(clusterName: string, region: string): string {
  const server = `https://${hex(clusterName, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`;
  return JSON.stringify({
    apiVersion: "v1",
    kind: "Config",
    clusters: [{ name: clusterName, cluster: { server, "certificate-authority-data": Buffer.from(`mock-ca-${clusterName}`).toString("base64") } }],
    contexts: [{ name: clusterName, context: { cluster: clusterName, user: clusterName } }],
    "current-context": clusterName,
    users: [
      {
        name: clusterName,
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["eks", "get-token", "--cluster-name", clusterName, "--region", region, "--output", "json"],
          },
        },
      },
    ],
  });
}

export class PlatformMocks implements pulumi.runtime.Mocks {
  readonly registrations: MockRegistration[] = [];

  /** Forgets what was registered so far (tests: each starts from no registrations). */
  reset(): void {
    this.registrations.length = 0;
  }

  constructor(private readonly region: string) {}

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string | undefined; state: Record<string, unknown> } {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    this.registrations.push({ type: args.type, name: args.name, inputs, ...(args.provider ? { provider: args.provider } : {}), custom: args.custom ?? true });
    const { id, extra } = this.outputsFor(args.type, args.name, inputs);
    // Local components have no outputs of their own; remote ones (eks:index:Cluster) do.
    if (!args.custom) return { id: undefined, state: REMOTE_COMPONENTS.has(args.type) ? { ...inputs, ...extra } : {} };
    return { id, state: { region: this.region, ...inputs, ...extra } };
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    switch (args.token) {
      case "aws:index/getCallerIdentity:getCallerIdentity":
        return { accountId: MOCK_ACCOUNT_ID, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/offline-preview`, userId: "AIDAOFFLINEPREVIEW", id: MOCK_ACCOUNT_ID };
      case "aws:index/getPartition:getPartition":
        return { partition: "aws", dnsSuffix: "amazonaws.com", reverseDnsPrefix: "com.amazonaws", id: "aws" };
      case "aws:index/getRegion:getRegion":
        return { region: this.region, name: this.region, endpoint: `ec2.${this.region}.amazonaws.com`, id: this.region };
      default:
        throw new Error(`offline preview: no mock for the function ${args.token}; add one to tools/preview/mocks.ts`);
    }
  }

  private arn(service: string, resource: string, region: string | undefined = this.region): string {
    return `arn:aws:${service}:${region ?? ""}:${MOCK_ACCOUNT_ID}:${resource}`;
  }

  private outputsFor(type: string, name: string, inputs: Record<string, unknown>): { id: string; extra: Record<string, unknown> } {
    const str = (k: string) => (typeof inputs[k] === "string" ? (inputs[k] as string) : undefined);
    const prefix = EC2_ID_PREFIX[type];
    if (prefix) {
      const id = `${prefix}-${hex(type + name, 17)}`;
      return { id, extra: { arn: this.arn("ec2", `${prefix}/${id}`), ...(type === "aws:ec2/launchTemplate:LaunchTemplate" ? { latestVersion: 1 } : {}) } };
    }
    switch (type) {
      case "aws:kms/key:Key": {
        const keyId = `${hex(name, 8)}-${hex(name + 1, 4)}-${hex(name + 2, 4)}-${hex(name + 3, 4)}-${hex(name + 4, 12)}`;
        return { id: keyId, extra: { keyId, arn: this.arn("kms", `key/${keyId}`, str("region") ?? this.region) } };
      }
      case "aws:s3/bucket:Bucket": {
        const bucket = str("bucket") ?? `${name}-${hex(name, 8)}`;
        return { id: bucket, extra: { bucket, arn: `arn:aws:s3:::${bucket}`, bucketDomainName: `${bucket}.s3.amazonaws.com` } };
      }
      case "aws:sns/topic:Topic": {
        const topicName = str("name") ?? `${name}-${hex(name, 7)}`;
        const arn = this.arn("sns", topicName, str("region") ?? this.region);
        return { id: arn, extra: { name: topicName, arn } };
      }
      case "aws:cloudwatch/metricAlarm:MetricAlarm":
        return { id: str("name") ?? name, extra: { arn: this.arn("cloudwatch", `alarm:${str("name") ?? name}`, str("region") ?? this.region) } };
      case "aws:iam/role:Role": {
        const roleName = str("name") ?? `${name}-${hex(name, 7)}`;
        return {
          id: roleName,
          extra: { name: roleName, arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${roleName}`, uniqueId: `AROA${hex(name, 17).toUpperCase()}` },
        };
      }
      case "aws:sqs/queue:Queue": {
        const queueName = str("name") ?? name;
        return {
          id: `https://sqs.${this.region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${queueName}`,
          extra: { name: queueName, url: `https://sqs.${this.region}.amazonaws.com/${MOCK_ACCOUNT_ID}/${queueName}`, arn: this.arn("sqs", queueName) },
        };
      }
      case "aws:cloudwatch/eventRule:EventRule": {
        const ruleName = str("name") ?? name;
        return { id: ruleName, extra: { name: ruleName, arn: this.arn("events", `rule/${ruleName}`) } };
      }
      case "random:index/randomPassword:RandomPassword":
        // Deterministic, so that plans compare; never a real password (offline runs deploy nothing).
        return { id: "none", extra: { result: `offline-${hex(name, 24)}`, bcryptHash: "" } };
      case "aws:cloudwatch/logGroup:LogGroup": {
        const groupName = str("name") ?? name;
        return { id: groupName, extra: { arn: this.arn("logs", `log-group:${groupName}`) } };
      }
      case "aws:eks/nodeGroup:NodeGroup": {
        const cluster = str("clusterName") ?? "cluster";
        const ngName = str("nodeGroupName") ?? name;
        return { id: `${cluster}:${ngName}`, extra: { arn: this.arn("eks", `nodegroup/${cluster}/${ngName}/${hex(name, 8)}`), status: "ACTIVE" } };
      }
      case "aws:eks/addon:Addon": {
        const cluster = str("clusterName") ?? "cluster";
        return { id: `${cluster}:${str("addonName")}`, extra: { arn: this.arn("eks", `addon/${cluster}/${str("addonName")}/${hex(name, 8)}`) } };
      }
      case "eks:index:Cluster": {
        const clusterName = str("name") ?? name;
        const kubeconfigJson = kubeconfigFor(clusterName, this.region);
        return {
          id: clusterName,
          extra: {
            kubeconfigJson,
            kubeconfig: JSON.parse(kubeconfigJson) as unknown,
            clusterSecurityGroupId: `sg-${hex(`${clusterName}-cluster`, 17)}`,
            nodeSecurityGroupId: "",
            oidcProviderArn: "",
            oidcProviderUrl: "",
            oidcIssuer: "",
          },
        };
      }
      default:
        return { id: `${name}-${hex(type + name, 8)}`, extra: {} };
    }
  }
}
