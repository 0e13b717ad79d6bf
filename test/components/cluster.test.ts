import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { EksCluster } from "../../components/cluster/eks-cluster";
import { EKS_ADDON_VERSIONS, KUBERNETES_RELEASES } from "../../components/versions";
import { testMocks } from "../setup";
import { settled as settle } from "../support/pulumi";

const network = {
  vpcId: pulumi.output("vpc-0a1b2c3d4e5f67890"),
  privateSubnetIds: pulumi.output(["subnet-0a1b2c3d4e5f67891", "subnet-0a1b2c3d4e5f67892"]),
  privateAccessCidrs: ["10.100.0.0/24"],
};
const byName = (name: string, type?: string) => testMocks.registrations.find((r) => r.name === name && (type === undefined || r.type === type));
const ADDON = "aws:eks/addon:Addon";

describe("EksCluster", () => {
  it("installs every add-on at the version pinned for its Kubernetes version, with Pod Identity where AWS access is needed", async () => {
    const c133 = new EksCluster("c133", { clusterName: "c133", kubernetesVersion: "1.33", ...network });
    await settle();
    // metrics-server's pods need worker nodes: it comes only when the caller says capacity exists.
    expect(byName("c133-metrics-server", ADDON)).toBeUndefined();
    c133.installWorkerNodeAddons([]);
    expect(() => c133.installWorkerNodeAddons([])).toThrow(/already called/);
    await settle();
    const pins = EKS_ADDON_VERSIONS["1.33"]!;
    for (const [addon, version] of Object.entries(pins)) {
      expect(byName(`c133-${addon}`, ADDON)?.inputs).toMatchObject({ addonName: addon, addonVersion: version, clusterName: "c133" });
    }
    const cni = byName("c133-vpc-cni", ADDON)!.inputs;
    expect(cni["podIdentityAssociations"]).toEqual([{ roleArn: "arn:aws:iam::123456789012:role/c133-vpc-cni", serviceAccount: "aws-node" }]);
    expect(byName("c133-coredns", ADDON)!.inputs["podIdentityAssociations"]).toBeUndefined();
    // Mountpoint volumes use the pods' own credentials: the driver's role is associated and granted nothing.
    expect(byName("c133-aws-mountpoint-s3-csi-driver", ADDON)!.inputs["podIdentityAssociations"]).toEqual([
      { roleArn: "arn:aws:iam::123456789012:role/c133-aws-mountpoint-s3-csi-driver", serviceAccount: "s3-csi-driver-sa" },
    ]);
    const grants = testMocks.registrations.filter(
      (r) => (r.type === "aws:iam/rolePolicyAttachment:RolePolicyAttachment" || r.type === "aws:iam/rolePolicy:RolePolicy") && r.name.includes("mountpoint"),
    );
    expect(grants).toEqual([]);
    const trust = JSON.parse(
      testMocks.registrations.find((r) => r.type === "aws:iam/role:Role" && r.name === "c133-aws-ebs-csi-driver")!.inputs["assumeRolePolicy"] as string,
    );
    // Only condition keys the EKS user guide documents for Pod Identity (session tags), no aws:SourceArn.
    expect(trust.Statement[0].Condition).toEqual({
      StringEquals: {
        "aws:SourceAccount": "123456789012",
        "aws:RequestTag/eks-cluster-arn": "arn:aws:eks:us-west-2:123456789012:cluster/c133",
        "aws:RequestTag/kubernetes-namespace": "kube-system",
        "aws:RequestTag/kubernetes-service-account": "ebs-csi-controller-sa",
      },
    });
  });

  it("pins the system nodes to the cluster's Kubernetes version and its AMI release, so that a version bump moves them too", async () => {
    new EksCluster("v134", { clusterName: "v134", kubernetesVersion: "1.34", ...network });
    await settle();
    expect(byName("v134-system-ng", "aws:eks/nodeGroup:NodeGroup")?.inputs).toMatchObject({
      version: "1.34",
      releaseVersion: KUBERNETES_RELEASES["1.34"]!.nodeGroupReleaseVersion,
    });
    expect(KUBERNETES_RELEASES["1.34"]!.nodeGroupReleaseVersion).toMatch(/^1\.34\.\d+-\d{8}$/);
  });

  it("keeps the endpoint private unless CIDRs are listed, and enables every control-plane log", async () => {
    new EksCluster("priv", { clusterName: "priv", ...network });
    new EksCluster("pub", { clusterName: "pub", publicAccessCidrs: ["203.0.113.0/24"], ...network });
    await settle();
    expect(byName("priv-eks")!.inputs).toMatchObject({
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
      authenticationMode: "API",
      enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
    });
    expect(byName("priv-eks")!.inputs["publicAccessCidrs"]).toBeUndefined();
    expect(byName("pub-eks")!.inputs).toMatchObject({ endpointPublicAccess: true, publicAccessCidrs: ["203.0.113.0/24"] });
    // The private endpoint admits the configured deploy path on 443, through the cluster security group.
    expect(byName("priv-api-private-0", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")!.inputs).toMatchObject({
      cidrIpv4: "10.100.0.0/24",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      securityGroupId: expect.stringMatching(/^sg-/),
    });
  });

  it("writes control-plane logs into a group encrypted with a key of its own, which only CloudWatch Logs may use, for that group only", async () => {
    new EksCluster("logged", { clusterName: "logged", logRetentionDays: 731, ...network });
    await settle();
    const group = byName("logged-control-plane", "aws:cloudwatch/logGroup:LogGroup")!;
    const key = byName("logged-control-plane-key", "aws:kms/key:Key")!;
    expect(group.inputs).toMatchObject({ name: "/aws/eks/logged/cluster", retentionInDays: 731, kmsKeyId: expect.stringMatching(/^arn:aws:kms:/) });
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    const logs = JSON.parse(String(key.inputs["policy"])).Statement.find((s: { Principal: { Service?: string } }) => s.Principal.Service !== undefined);
    expect(logs.Principal.Service).toMatch(/^logs\.[a-z0-9-]+\.amazonaws\.com$/);
    expect(logs.Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"]).toEqual([expect.stringMatching(/:log-group:\/aws\/eks\/logged\/cluster$/)]);
  });

  it("requires IMDSv2 with a hop limit of 1 and an encrypted root volume on system nodes, tainted for critical add-ons only", async () => {
    new EksCluster("sys", { clusterName: "sys", systemNodes: { minSize: 3, maxSize: 5, diskSizeGiB: 80 }, ...network });
    await settle();
    expect(byName("sys-system-lt")!.inputs).toMatchObject({
      metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{ ebs: { encrypted: "true", volumeType: "gp3", volumeSize: 80 } }],
    });
    expect(byName("sys-system-ng")!.inputs).toMatchObject({
      capacityType: "ON_DEMAND",
      scalingConfig: { minSize: 3, desiredSize: 3, maxSize: 5 },
      taints: [{ key: "CriticalAddonsOnly", value: "true", effect: "NO_SCHEDULE" }],
      labels: { "highmem.io/node-role": "system" },
    });
  });

  it.each([
    [{ kubernetesVersion: "1.29" }, /argument "kubernetesVersion" is "1.29"; must be one of 1.33, 1.34/],
    [{ adminRoleArns: ["arn:aws:iam::123456789012:user/bob"] }, /argument "adminRoleArns" is "arn:aws:iam::123456789012:user\/bob"/],
    [{ publicAccessCidrs: ["0.0.0.0/0"] }, /argument "publicAccessCidrs" is "0.0.0.0\/0"; would open the Kubernetes API to the whole internet/],
    [{ logRetentionDays: 10 }, /argument "logRetentionDays" is 10/],
    [{ clusterName: "Has_Caps" }, /argument "clusterName" is "Has_Caps"/],
    [{ privateAccessCidrs: [] }, /argument "privateAccessCidrs" is \[\]; must list where deployments reach the API from/],
    [{ privateAccessCidrs: ["0.0.0.0/0"] }, /argument "privateAccessCidrs" is "0.0.0.0\/0"/],
  ])("refuses %o before declaring anything", async (override, message) => {
    const before = testMocks.registrations.length;
    expect(() => new EksCluster("bad", { clusterName: "bad", ...network, ...override })).toThrow(message);
    await settle();
    expect(testMocks.registrations.length).toBe(before);
  });

  it("refuses a system node group with a maximum below its minimum", () => {
    expect(() => new EksCluster("sysbad", { clusterName: "sysbad", systemNodes: { minSize: 3, maxSize: 2 }, ...network })).toThrow(
      /SystemNodeGroup: argument "maxSize" is 2; must be a whole number of at least minSize \(3\)/,
    );
  });
});
