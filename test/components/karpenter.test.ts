import * as pulumi from "@pulumi/pulumi";
import { Provider } from "@pulumi/kubernetes/provider";
import { describe, expect, it } from "vitest";
import { KarpenterController } from "../../components/karpenter/karpenter-controller";
import { KarpenterNodePool } from "../../components/karpenter/karpenter-node-pool";
import { generalPool, highMemoryPool } from "../../components/karpenter/pool-presets";
import { INTERRUPTION_EVENTS } from "../../components/karpenter/interruption-queue";
import { renderUserData } from "../../components/karpenter/node-tuning";
import { KARPENTER_VERSION, KUBERNETES_RELEASES } from "../../components/versions";
import { testMocks } from "../setup";
import { settled as settle } from "../support/pulumi";

const find = (type: string, name: string) => testMocks.registrations.find((r) => r.type === type && r.name === name);
const provider = new Provider("k8s-test", { kubeconfig: "{}" });
const cluster = {
  clusterName: "demo",
  clusterArn: "arn:aws:eks:us-west-2:123456789012:cluster/demo",
  partition: "aws",
  region: "us-west-2",
  accountId: "123456789012",
  provider,
};

describe("KarpenterController", () => {
  it("installs the pinned chart on the system nodes with the interruption queue and spot-to-spot consolidation", async () => {
    new KarpenterController("kc", cluster);
    await settle();
    const crds = find("kubernetes:helm.sh/v3:Release", "kc-crd")!.inputs;
    const chart = find("kubernetes:helm.sh/v3:Release", "kc-chart")!.inputs;
    expect(crds).toMatchObject({ chart: "oci://public.ecr.aws/karpenter/karpenter-crd", version: KARPENTER_VERSION });
    expect(chart).toMatchObject({
      chart: "oci://public.ecr.aws/karpenter/karpenter",
      version: KARPENTER_VERSION,
      namespace: "kube-system",
      skipCrds: true,
      values: {
        settings: { clusterName: "demo", interruptionQueue: "demo-karpenter", featureGates: { spotToSpotConsolidation: true } },
        nodeSelector: { "highmem.io/node-role": "system" },
        serviceAccount: { name: "karpenter" },
      },
    });
    const affinity = JSON.stringify((chart["values"] as { affinity: unknown }).affinity);
    expect(affinity).toContain('"key":"karpenter.sh/nodepool","operator":"DoesNotExist"');
  });

  it("gives the node role an EC2_LINUX access entry and the controller a Pod Identity association in kube-system", async () => {
    new KarpenterController("kc2", { ...cluster, clusterName: "demo2" });
    await settle();
    expect(find("aws:eks/accessEntry:AccessEntry", "kc2-node")!.inputs).toMatchObject({
      clusterName: "demo2",
      type: "EC2_LINUX",
      principalArn: "arn:aws:iam::123456789012:role/demo2-karpenter-node",
    });
    expect(find("aws:eks/podIdentityAssociation:PodIdentityAssociation", "kc2-controller")!.inputs).toMatchObject({
      namespace: "kube-system",
      serviceAccount: "karpenter",
      roleArn: "arn:aws:iam::123456789012:role/demo2-karpenter-controller",
    });
  });

  it("feeds an encrypted queue from one EventBridge rule per event kind the controller handles", async () => {
    new KarpenterController("kc3", { ...cluster, clusterName: "demo3" });
    await settle();
    expect(find("aws:sqs/queue:Queue", "kc3-interruption-queue")!.inputs).toMatchObject({
      name: "demo3-karpenter",
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: 300,
    });
    const rules = testMocks.registrations.filter((r) => r.type === "aws:cloudwatch/eventRule:EventRule" && r.name.startsWith("kc3-"));
    expect(rules.map((r) => JSON.parse(r.inputs["eventPattern"] as string)["detail-type"][0]).sort()).toEqual(
      INTERRUPTION_EVENTS.map((e) => e.detailType).sort(),
    );
    expect(rules).toHaveLength(5);
    const targets = testMocks.registrations.filter((r) => r.type === "aws:cloudwatch/eventTarget:EventTarget" && r.name.startsWith("kc3-"));
    expect(new Set(targets.map((t) => t.inputs["arn"]))).toEqual(new Set(["arn:aws:sqs:us-west-2:123456789012:demo3-karpenter"]));
  });

  it("refuses bad arguments before declaring anything", async () => {
    const before = testMocks.registrations.length;
    expect(() => new KarpenterController("bad", { ...cluster, version: "0.37.0" })).toThrow(/argument "version" is "0.37.0"; must be a Karpenter v1 release/);
    expect(() => new KarpenterController("bad", { ...cluster, replicas: 0 })).toThrow(/argument "replicas" is 0/);
    await settle();
    expect(testMocks.registrations.length).toBe(before);
  });
});

describe("KarpenterNodePool", () => {
  const highMemory = highMemoryPool("spot", {
    largestPodMemoryGiB: 200,
    architectures: ["amd64"],
    maxNodeMemoryGiB: 1024,
    region: "us-west-2",
    limits: { cpu: 64, memoryGiB: 1024 },
    hugePagesGiB: 16,
  });

  it("launches with a pinned AMI, IMDSv2 at hop limit 1, an encrypted root volume and the tuning user data", async () => {
    new KarpenterNodePool("hm", {
      ...highMemory,
      clusterName: "demo",
      nodeRoleName: pulumi.output("demo-karpenter-node"),
      provider,
      kubernetesVersion: "1.33",
    });
    await settle();
    const spec = find("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "hm-class")!.inputs["spec"] as Record<string, unknown>;
    expect(spec).toMatchObject({
      role: "demo-karpenter-node",
      amiSelectorTerms: [{ alias: KUBERNETES_RELEASES["1.33"]!.karpenterAmiAlias }],
      metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
      blockDeviceMappings: [{ ebs: { encrypted: true, volumeType: "gp3" } }],
      subnetSelectorTerms: [{ tags: { "karpenter.sh/discovery": "demo" } }],
    });
    expect(spec["userData"]).toBe(renderUserData({ hugePagesGiB: 16 }));
    for (const release of Object.values(KUBERNETES_RELEASES)) expect(release.karpenterAmiAlias).toMatch(/^al2023@v\d{8}$/);
    const pool = find("kubernetes:karpenter.sh/v1:NodePool", "hm-pool")!.inputs as {
      spec: { limits: unknown; template: { spec: { nodeClassRef: { name: string } } } };
    };
    expect(pool.spec.limits).toEqual({ cpu: "64", memory: "1024Gi" });
    expect(pool.spec.template.spec.nodeClassRef.name).toBe("high-memory-spot");
  });

  it("leaves the general pool untuned", async () => {
    new KarpenterNodePool("gp", {
      ...generalPool({ architectures: ["amd64"], limits: { cpu: 10, memoryGiB: 40 } }),
      clusterName: "demo",
      nodeRoleName: "r",
      provider,
      kubernetesVersion: "1.34",
    });
    await settle();
    expect((find("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", "gp-class")!.inputs["spec"] as Record<string, unknown>)["userData"]).toBeUndefined();
  });

  it("refuses a Kubernetes version without a pinned AMI release", () => {
    expect(() => new KarpenterNodePool("z", { ...highMemory, clusterName: "d", nodeRoleName: "r", provider, kubernetesVersion: "1.29" })).toThrow(
      /argument "kubernetesVersion" is "1.29"; must be one of 1.33, 1.34/,
    );
  });

  it("refuses a pool without limits or budgets", () => {
    expect(
      () =>
        new KarpenterNodePool("x", {
          ...highMemory,
          limits: { cpu: 0, memoryGiB: 0 },
          clusterName: "d",
          nodeRoleName: "r",
          provider,
          kubernetesVersion: "1.34",
        }),
    ).toThrow(/argument "limits".*a pool without limits can spend without bound/);
    expect(
      () =>
        new KarpenterNodePool("y", {
          ...highMemory,
          disruption: { ...highMemory.disruption, budgets: [] },
          clusterName: "d",
          nodeRoleName: "r",
          provider,
          kubernetesVersion: "1.34",
        }),
    ).toThrow(/disruption.budgets/);
  });
});

describe("node tuning user data", () => {
  it("sets the large-heap sysctls and madvise THP, and reserves huge pages only when asked", () => {
    const plain = renderUserData({ hugePagesGiB: 0 });
    expect(plain).toMatch(/^MIME-Version: 1.0\nContent-Type: multipart\/mixed; boundary="HIGHMEM-TUNING"/);
    for (const line of [
      "vm.swappiness = 1",
      "vm.overcommit_memory = 1",
      "kernel.numa_balancing = 0",
      "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled",
    ])
      expect(plain).toContain(line);
    expect(plain).not.toContain("nr_hugepages");
    expect(renderUserData({ hugePagesGiB: 10 })).toContain("vm.nr_hugepages = 5120");
    expect(() => renderUserData({ hugePagesGiB: -1 })).toThrow(/hugePagesGiB is -1/);
  });
});
