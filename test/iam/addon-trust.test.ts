/**
 * The Pod Identity trust of the EKS add-on roles, as EksCluster renders them (under the runtime mocks
 * of test/setup.ts), evaluated in the IAM simulator.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeAll, describe, expect, it } from "vitest";
import { EksCluster } from "../../components/cluster/eks-cluster";
import { testMocks } from "../setup";
import { simulate } from "./simulator";
import { settled as settle } from "../support/pulumi";

const ACCOUNT = "123456789012";
const CLUSTER = `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/trust`;

/** The session tags EKS Pod Identity sends (EKS user guide, "Grant Pods access to AWS resources based on tags"). */
const podIdentity = (namespace: string, serviceAccount: string, cluster = CLUSTER) => ({
  "aws:SourceAccount": cluster.split(":")[4]!,
  "aws:RequestTag/eks-cluster-arn": cluster,
  "aws:RequestTag/eks-cluster-name": cluster.split("/").pop()!,
  "aws:RequestTag/kubernetes-namespace": namespace,
  "aws:RequestTag/kubernetes-service-account": serviceAccount,
});

describe("EKS add-on roles trust Pod Identity for their own service account only", () => {
  // Each test starts with no recorded registrations (test/setup.ts): read the trust policies once here.
  const trusts = new Map<string, object>();
  beforeAll(async () => {
    const cluster = new EksCluster("trust", {
      clusterName: "trust",
      vpcId: pulumi.output("vpc-0a1b2c3d4e5f67890"),
      privateSubnetIds: pulumi.output(["subnet-0a1b2c3d4e5f67891", "subnet-0a1b2c3d4e5f67892"]),
      privateAccessCidrs: ["10.100.0.0/24"],
    });
    cluster.installWorkerNodeAddons([]);
    await settle();
    for (const r of testMocks.registrations)
      if (r.type === "aws:iam/role:Role") trusts.set(r.name, JSON.parse(r.inputs["assumeRolePolicy"] as string) as object);
  });
  const trustOf = (addon: string): object => trusts.get(`trust-${addon}`)!;
  const assume = (addon: string, context: Readonly<Record<string, string>>) =>
    simulate(
      { action: "sts:AssumeRole", resource: `arn:aws:iam::${ACCOUNT}:role/trust-${addon}`, principal: "pods.eks.amazonaws.com", context },
      { resource: trustOf(addon) },
    );

  it.each([
    ["vpc-cni", "aws-node", "ebs-csi-controller-sa"],
    ["aws-ebs-csi-driver", "ebs-csi-controller-sa", "aws-node"],
    ["aws-mountpoint-s3-csi-driver", "s3-csi-driver-sa", "s3-csi-driver-controller-sa"],
  ])("%s: kube-system/%s of this cluster, and nothing else", async (addon, own, other) => {
    expect(await assume(addon, podIdentity("kube-system", own))).toBe("Allowed");
    expect(await assume(addon, podIdentity("kube-system", other))).toBe("ImplicitlyDenied");
    expect(await assume(addon, podIdentity("default", own))).toBe("ImplicitlyDenied");
    expect(await assume(addon, podIdentity("kube-system", own, `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/other`))).toBe("ImplicitlyDenied");
    expect(await assume(addon, podIdentity("kube-system", own, "arn:aws:eks:us-west-2:999999999999:cluster/trust"))).toBe("ImplicitlyDenied");
    expect(await assume(addon, { "aws:SourceAccount": ACCOUNT })).toBe("ImplicitlyDenied");
  });
});

describe("the cluster's service role trusts EKS for this cluster only", () => {
  let trust: object;
  beforeAll(async () => {
    new EksCluster("svc", {
      clusterName: "svc",
      vpcId: pulumi.output("vpc-0a1b2c3d4e5f67890"),
      privateSubnetIds: pulumi.output(["subnet-0a1b2c3d4e5f67891", "subnet-0a1b2c3d4e5f67892"]),
      privateAccessCidrs: ["10.100.0.0/24"],
    });
    await settle();
    const role = testMocks.registrations.find((r) => r.type === "aws:iam/role:Role" && r.name === "svc-service")!;
    trust = JSON.parse(role.inputs["assumeRolePolicy"] as string) as object;
  });
  const own = `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/svc`;
  const assume = (context: Readonly<Record<string, string>>) =>
    simulate(
      { action: "sts:AssumeRole", resource: `arn:aws:iam::${ACCOUNT}:role/svc-eks-cluster`, principal: "eks.amazonaws.com", context },
      { resource: trust },
    );

  // EKS User Guide, "Cross-service confused deputy prevention in Amazon EKS": the service assumes the
  // cluster role with aws:SourceArn (the cluster) and aws:SourceAccount (its account) in the request.
  it("allows EKS acting for this cluster, refuses it for another cluster or account, or without a source", async () => {
    expect(await assume({ "aws:SourceAccount": ACCOUNT, "aws:SourceArn": own })).toBe("Allowed");
    expect(await assume({ "aws:SourceAccount": ACCOUNT, "aws:SourceArn": `arn:aws:eks:us-west-2:${ACCOUNT}:cluster/other` })).toBe("ImplicitlyDenied");
    expect(await assume({ "aws:SourceAccount": "999999999999", "aws:SourceArn": "arn:aws:eks:us-west-2:999999999999:cluster/svc" })).toBe("ImplicitlyDenied");
    expect(await assume({})).toBe("ImplicitlyDenied");
  });
});
