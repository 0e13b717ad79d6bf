/**
 * The first-deploy simulation, on small real programs run under mocks the way the preview runs
 * stacks (recorder + dependency capture): each class of failure is planted in a program and must be
 * reported, and the same program written correctly must not be.
 */
import * as pulumi from "@pulumi/pulumi";
import { AccessEntry } from "@pulumi/aws/eks/accessEntry";
import { Addon } from "@pulumi/aws/eks/addon";
import { PodIdentityAssociation } from "@pulumi/aws/eks/podIdentityAssociation";
import { Deployment } from "@pulumi/kubernetes/apps/v1/deployment";
import { Cluster } from "@pulumi/aws/eks/cluster";
import { CustomResource } from "@pulumi/kubernetes/apiextensions/customResource";
import { StatefulSet } from "@pulumi/kubernetes/apps/v1/statefulSet";
import { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
import { Service as ServiceResource } from "@pulumi/kubernetes/core/v1/service";
import { Release } from "@pulumi/kubernetes/helm/v3/release";
import { Provider } from "@pulumi/kubernetes/provider";
import { StorageClass } from "@pulumi/kubernetes/storage/v1/storageClass";
import { describe, expect, it } from "vitest";
import { HighMemoryWorkload } from "../../components";
import { KarpenterNodePool } from "../../components/karpenter/karpenter-node-pool";
import { generalPool, highMemoryPool, placementOn, statefulPool } from "../../components/karpenter/pool-presets";
import { S3PrefixVolume } from "../../components/workloads/s3-volume";
import type { DeployCheck } from "../../tools/preview/first-deploy/findings";
import { simulateFirstDeploy } from "../../tools/preview/first-deploy/simulate";
import { recordProgram } from "./record-program";

const checksOf = async (program: () => void, check: DeployCheck) => simulateFirstDeploy(await recordProgram(program)).filter((f) => f.check === check);

const provider = () => new Provider("k8s", { kubeconfig: "{}" });
const crdChart = (p: Provider) =>
  new Release("karpenter-crd", { chart: "oci://public.ecr.aws/karpenter/karpenter-crd", version: "1.8.1", namespace: "kube-system" }, { provider: p });
const STATEFUL_SET = (name: string, memory: string, extra: object = {}) => ({
  metadata: { name, namespace: "default" },
  spec: {
    serviceName: name,
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: "c", image: "busybox:1.37", resources: { requests: { memory, cpu: "1" } } }], ...extra },
    },
    volumeClaimTemplates: [
      { metadata: { name: "data" }, spec: { accessModes: ["ReadWriteOnce"], storageClassName: "gp3", resources: { requests: { storage: "10Gi" } } } },
    ],
  },
});

describe("dependencies recorded for the plan", () => {
  it("are what the SDK sends: Outputs consumed, explicit dependsOn, a parent component's dependsOn, and the provider", async () => {
    class Group extends pulumi.ComponentResource {
      constructor(name: string, opts: pulumi.ComponentResourceOptions) {
        super("t:index:Group", name, {}, opts);
        new Namespace(`${name}-ns`, { metadata: { name } }, { parent: this, provider: opts.provider as Provider });
        this.registerOutputs({});
      }
    }
    const resources = await recordProgram(() => {
      const cluster = new Cluster("c", { name: "c", roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["subnet-1"] } });
      const entry = new AccessEntry("e", { clusterName: cluster.name, principalArn: "arn:aws:iam::123456789012:role/x" });
      const p = provider();
      new Group("g", { dependsOn: [entry], provider: p });
    });
    const urn = (name: string) => resources.find((r) => r.name === name)!.urn;
    expect(resources.find((r) => r.name === "e")!.dependencies).toEqual([urn("c")]);
    expect(resources.find((r) => r.name === "g-ns")!.dependencies).toEqual([urn("e"), urn("k8s")].sort());
  });
});

describe("first-deploy simulation", () => {
  it("reports a resource acting on the cluster that does not wait for it, and not one that does", async () => {
    const cluster = () => new Cluster("demo", { name: "demo", roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["subnet-1"] } });
    const racing = await checksOf(() => {
      cluster();
      new AccessEntry("racing", { clusterName: "demo", principalArn: "arn:aws:iam::123456789012:role/x" });
    }, "cluster-first");
    expect(racing.map((f) => f.urn)).toEqual([expect.stringContaining("::racing")]);
    expect(racing[0]!.message).toMatch(/may be created before the EKS cluster demo exists/);
    const waiting = await checksOf(() => {
      const c = cluster();
      new AccessEntry("waiting", { clusterName: c.name, principalArn: "arn:aws:iam::123456789012:role/x" });
    }, "cluster-first");
    expect(waiting).toEqual([]);
  });

  it("reports a custom resource created before its CRD, and not once it depends on the CRD chart", async () => {
    const nodeClass = (p: Provider, opts: pulumi.CustomResourceOptions = {}) =>
      new CustomResource("nc", { apiVersion: "karpenter.k8s.aws/v1", kind: "EC2NodeClass", metadata: { name: "nc" }, spec: {} }, { provider: p, ...opts });
    const before = await checksOf(() => {
      const p = provider();
      crdChart(p);
      nodeClass(p);
    }, "crd-first");
    expect(before).toHaveLength(1);
    expect(before[0]!.message).toMatch(/needs the karpenter.k8s.aws CRDs, but its CRD comes from karpenter-crd, which it does not depend on/);
    expect(
      await checksOf(() => {
        const p = provider();
        nodeClass(p, { dependsOn: [crdChart(p)] });
      }, "crd-first"),
    ).toEqual([]);
    expect((await checksOf(() => nodeClass(provider()), "crd-first"))[0]!.message).toMatch(/nothing in the stack installs that CRD/);
  });

  it("knows the snapshot-controller add-on installs the snapshot.storage.k8s.io CRDs: a VolumeSnapshotClass waits for it", async () => {
    const snapshotClass = (p: Provider, opts: pulumi.CustomResourceOptions = {}) =>
      new CustomResource(
        "vsc",
        {
          apiVersion: "snapshot.storage.k8s.io/v1",
          kind: "VolumeSnapshotClass",
          metadata: { name: "ebs" },
          driver: "ebs.csi.aws.com",
          deletionPolicy: "Delete",
        },
        { provider: p, ...opts },
      );
    const controller = () => new Addon("snap", { clusterName: "demo", addonName: "snapshot-controller" });
    const racing = await checksOf(() => {
      controller();
      snapshotClass(provider());
    }, "crd-first");
    expect(racing.map((f) => f.message)).toEqual([
      expect.stringMatching(/needs the snapshot.storage.k8s.io CRDs, but its CRD comes from snap, which it does not depend on/),
    ]);
    expect(await checksOf(() => snapshotClass(provider(), { dependsOn: [controller()] }), "crd-first")).toEqual([]);
    // Another add-on installs no snapshot CRDs.
    const other = await checksOf(
      () => snapshotClass(provider(), { dependsOn: [new Addon("ebs", { clusterName: "demo", addonName: "aws-ebs-csi-driver" })] }),
      "crd-first",
    );
    expect(other.map((f) => f.message)).toEqual([expect.stringMatching(/nothing in the stack installs that CRD/)]);
  });

  it("reports an object whose namespace is created after it, or never", async () => {
    const objects = await checksOf(() => {
      const p = provider();
      new Namespace("late", { metadata: { name: "team-a" } }, { provider: p });
      new StatefulSet("in-team-a", { ...STATEFUL_SET("x", "1Gi"), metadata: { name: "x", namespace: "team-a" } }, { provider: p });
      new StatefulSet("in-nowhere", { ...STATEFUL_SET("y", "1Gi"), metadata: { name: "y", namespace: "team-b" } }, { provider: p });
    }, "namespace-first");
    expect(objects.map((f) => f.message)).toEqual([
      expect.stringMatching(/in-team-a goes into namespace "team-a", which late creates, but not before it/),
      expect.stringMatching(/in-nowhere goes into namespace "team-b", which nothing in the stack creates/),
    ]);
  });

  describe("with Karpenter pools", () => {
    const pools = (p: Provider) => {
      const limits = { cpu: 1000, memoryGiB: 4000 };
      const general = new KarpenterNodePool("general", {
        ...generalPool({ architectures: ["amd64"], limits }),
        clusterName: "demo",
        nodeRoleName: "node",
        provider: p,
        kubernetesVersion: "1.34",
      });
      const stateful = statefulPool({ architectures: ["amd64"], limits });
      const statefulComponent = new KarpenterNodePool("stateful", {
        ...stateful,
        clusterName: "demo",
        nodeRoleName: "node",
        provider: p,
        kubernetesVersion: "1.34",
      });
      const highMemory = highMemoryPool("spot", {
        largestPodMemoryGiB: 200,
        architectures: ["amd64"],
        maxNodeMemoryGiB: 1024,
        region: "us-west-2",
        limits,
        hugePagesGiB: 0,
      });
      const hmComponent = new KarpenterNodePool("hm", { ...highMemory, clusterName: "demo", nodeRoleName: "node", provider: p, kubernetesVersion: "1.34" });
      new StorageClass("gp3", { metadata: { name: "gp3" }, provisioner: "ebs.csi.aws.com" }, { provider: p });
      return { general, statefulComponent, stateful, highMemory, hmComponent };
    };

    it("reports pods that no pool of the stack can run, saying why for each pool", async () => {
      const findings = await checksOf(() => {
        const p = provider();
        pools(p);
        new StatefulSet("huge", STATEFUL_SET("huge", "5000Gi"), { provider: p });
      }, "no-capacity");
      expect(findings).toHaveLength(1);
      expect(findings[0]!.message).toMatch(/no node group or node pool of the stack can run its pods/);
      expect(findings[0]!.message).toMatch(/node pool general: requests 5000.0 GiB of memory; the largest node leaves/);
      expect(findings[0]!.message).toMatch(/node pool high-memory-spot: taint workload-type=high-memory:NoSchedule not tolerated/);
    });

    it("reports a pod asking more local scratch than any node of its pool has, and not one that fits on the pool's NVMe RAID0", async () => {
      const place = (sizeGiB: number) =>
        checksOf(() => {
          const p = provider();
          const { highMemory } = pools(p);
          new HighMemoryWorkload("w", {
            namespace: "default",
            provider: p,
            serviceAccountName: "w",
            memoryGiB: 64,
            cpu: 8,
            scratch: { kind: "local-nvme", sizeGiB },
            placement: placementOn(highMemory),
            verticalPodAutoscaler: false,
          });
        }, "no-capacity");
      expect((await place(100_000)).map((f) => f.message)).toEqual([
        expect.stringMatching(
          /node pool high-memory-spot: requests 100002.0 GiB of ephemeral storage; the node with the most local storage leaves \d+\.\d GiB/,
        ),
      ]);
      // More than the 200 GiB root volume: only the types with NVMe can hold it.
      expect(await place(1000)).toEqual([]);
    });

    it("counts ephemeral-storage requests against the root volume of a pool without instance storage", async () => {
      const scratch = (storage: string) =>
        checksOf(() => {
          const p = provider();
          pools(p);
          const spec = STATEFUL_SET("s", "8Gi");
          spec.spec.template.spec.containers[0]!.resources = {
            requests: { memory: "8Gi", cpu: "1", "ephemeral-storage": storage },
          } as (typeof spec.spec.template.spec.containers)[0]["resources"];
          new StatefulSet("s", spec, { provider: p });
        }, "no-capacity");
      // The general pool's 100 GiB root volume, less 2 GiB reserved and the 10% nodefs eviction threshold: 88 GiB.
      expect((await scratch("89Gi")).map((f) => f.message)).toEqual([
        expect.stringMatching(/node pool general: requests 89.0 GiB of ephemeral storage; the node with the most local storage leaves 88.0 GiB/),
      ]);
      expect(await scratch("88Gi")).toEqual([]);
    });

    it("reports a workload created before every pool that can run it, and not once it depends on one", async () => {
      const early = await checksOf(() => {
        const p = provider();
        const { stateful } = pools(p);
        new StatefulSet("db", STATEFUL_SET("db", "8Gi", placementOn(stateful)), { provider: p });
      }, "capacity-first");
      expect(early.map((f) => f.message)).toEqual([
        expect.stringMatching(/StatefulSet default\/db: its pods can run only on node pool stateful, none of which it depends on/),
      ]);
      expect(
        await checksOf(() => {
          const p = provider();
          const { stateful, statefulComponent } = pools(p);
          new StatefulSet("db", STATEFUL_SET("db", "8Gi", placementOn(stateful)), { provider: p, dependsOn: [statefulComponent] });
        }, "capacity-first"),
      ).toEqual([]);
    });

    it("reports a stateful set that may land on a pool that consolidates or expires nodes, and not one pinned to the stateful pool", async () => {
      const loose = await checksOf(() => {
        const p = provider();
        const { general } = pools(p);
        new StatefulSet("db", STATEFUL_SET("db", "8Gi"), { provider: p, dependsOn: [general] });
      }, "stateful-placement");
      expect(loose.map((f) => f.message)).toEqual([
        expect.stringMatching(
          /StatefulSet default\/db keeps data on persistent volumes but may be placed on node pool general, which consolidates underutilised nodes and expires nodes/,
        ),
      ]);
      expect(
        await checksOf(() => {
          const p = provider();
          const { stateful, statefulComponent } = pools(p);
          new StatefulSet("db", STATEFUL_SET("db", "8Gi", placementOn(stateful)), { provider: p, dependsOn: [statefulComponent] });
        }, "stateful-placement"),
      ).toEqual([]);
    });

    describe("a high-memory Deployment mounting an S3 prefix (Mountpoint, pod-level credentials)", () => {
      const program = (o: { ordered: boolean; association: boolean }) => () => {
        const p = provider();
        const { highMemory, hmComponent } = pools(p);
        const agent = new Addon("agent", { clusterName: "demo", addonName: "eks-pod-identity-agent" });
        const driver = new Addon("s3", { clusterName: "demo", addonName: "aws-mountpoint-s3-csi-driver" });
        const identity = o.association
          ? [
              new PodIdentityAssociation("reader", {
                clusterName: "demo",
                namespace: "default",
                serviceAccount: "reader",
                roleArn: "arn:aws:iam::123456789012:role/r",
              }),
            ]
          : [];
        const volume = new S3PrefixVolume("reference", {
          name: "reference",
          namespace: "default",
          bucketName: "data",
          region: "us-west-2",
          prefix: "teams/a/",
          provider: p,
        });
        new Deployment(
          "reader",
          {
            metadata: { name: "reader", namespace: "default" },
            spec: {
              selector: { matchLabels: { app: "reader" } },
              template: {
                metadata: { labels: { app: "reader" } },
                spec: {
                  serviceAccountName: "reader",
                  containers: [{ name: "c", image: "busybox:1.37", resources: { requests: { memory: "100Gi", cpu: "4" } } }],
                  volumes: [{ name: "data", persistentVolumeClaim: { claimName: volume.claimName, readOnly: true } }],
                  nodeSelector: placementOn(highMemory).nodeSelector,
                  tolerations: [...placementOn(highMemory).tolerations],
                },
              },
            },
          },
          { provider: p, dependsOn: o.ordered ? [hmComponent, volume, driver, agent, ...identity] : [hmComponent] },
        );
      };
      const messages = async (o: { ordered: boolean; association: boolean }) =>
        (await simulateFirstDeploy(await recordProgram(program(o))))
          .filter((f) => f.urn.includes("Deployment::reader") && ["storage-first", "stateful-placement", "identity-first"].includes(f.check))
          .map((f) => `${f.check}: ${f.message}`);

      it("is no stateful workload and finds everything it needs when it depends on the claim, the driver and its identity", async () =>
        expect(await messages({ ordered: true, association: true })).toEqual([]));
      it("is reported when created before its claim, the driver add-on and its association", async () =>
        expect(await messages({ ordered: false, association: true })).toEqual([
          expect.stringMatching(/^storage-first: .* mounts S3 volume claim reference, which is not created before it/),
          expect.stringMatching(/^storage-first: .* before the aws-mountpoint-s3-csi-driver add-on exists/),
          expect.stringMatching(/^identity-first: .* may start before its Pod Identity association exists/),
          expect.stringMatching(/^identity-first: .* before the eks-pod-identity-agent add-on exists/),
        ]));
      it("is reported when its service account has no Pod Identity association at all", async () =>
        expect(await messages({ ordered: true, association: false })).toEqual([
          expect.stringMatching(
            /^identity-first: .* mounts S3 volumes with the pod's own credentials \(reference\), but default\/reader has no Pod Identity association/,
          ),
        ]));
    });

    it("reports a volume claim made before its StorageClass exists", async () => {
      const findings = await checksOf(() => {
        const p = provider();
        const { stateful, statefulComponent } = pools(p);
        new StatefulSet("db", STATEFUL_SET("db", "8Gi", placementOn(stateful)), { provider: p, dependsOn: [statefulComponent] });
      }, "storage-first");
      expect(findings.map((f) => f.message)).toEqual([expect.stringMatching(/claims a volume of StorageClass gp3, which is not created before it/)]);
    });

    it("reports a pool that can launch nodes before the controller, its node class' CRDs or the node role's access entry", async () => {
      const findings = await checksOf(() => pools(provider()), "node-access-first");
      expect(findings.some((f) => /does not depend on the Karpenter controller release/.test(f.message))).toBe(true);
      expect(findings.some((f) => /before an EKS access entry lets role node join the cluster/.test(f.message))).toBe(true);
    });
  });

  it("reports a Service that selects the pods of two workloads, and not one whose selector tells them apart", async () => {
    const service = (selector: Record<string, string>) => ({ metadata: { name: "db", namespace: "default" }, spec: { selector, ports: [{ port: 6379 }] } });
    const program = (selector: Record<string, string>) => () => {
      const p = provider();
      new StatefulSet("db", STATEFUL_SET("db", "1Gi"), { provider: p });
      new StatefulSet(
        "db-helper",
        {
          ...STATEFUL_SET("db-helper", "1Gi"),
          spec: { ...STATEFUL_SET("db-helper", "1Gi").spec, template: { metadata: { labels: { app: "db", role: "helper" } }, spec: { containers: [] } } },
        },
        { provider: p },
      );
      new ServiceResource("db", service(selector), { provider: p });
    };
    expect((await checksOf(program({ app: "db" }), "selector-overlap")).map((f) => f.message)).toEqual([
      expect.stringMatching(/Service default\/db selects the pods of db and db-helper/),
    ]);
    expect(await checksOf(program({ app: "db", role: "helper" }), "selector-overlap")).toEqual([]);
  });

  it("refuses to guess: a chart without a model is a finding", async () => {
    const findings = await checksOf(() => {
      new Release("mystery", { chart: "mystery-chart", version: "1.0.0", namespace: "kube-system" }, { provider: provider() });
    }, "unknown-chart");
    expect(findings.map((f) => f.message)).toEqual([expect.stringMatching(/Helm chart "mystery-chart" has no model/)]);
  });
});
