/**
 * Every stack end to end through the offline preview, as rules that hold for any valid config: run
 * over every stack file present in stacks/ and over generated configs of other shapes
 * (test/support/stack-configs.ts). Each expectation comes from the stack's own resolved config; the
 * sample stacks' exact values are in test/examples.
 */
import { MINIMUM_LOG_RETENTION_DAYS } from "../../policies/rules/log-retention";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { allocatableForPodsMiB } from "../../components/karpenter/capacity";
import { INSTANCE_TYPES } from "../../components/karpenter/instance-types";
import { DAEMONSET_MEMORY_MIB, highMemoryTypes, SPOT_TO_SPOT_MIN_TYPES } from "../../components/karpenter/pool-presets";
import { POOL_KIND_REGISTRY, POOL_KINDS, POOL_ROLE_LABEL } from "../../components/karpenter/pool-kinds";
import { DASHBOARDS } from "../../components/monitoring/dashboards";
import { EKS_ADDON_VERSIONS } from "../../components/versions";
import type { EnvironmentConfig } from "../../stacks/config/environment";
import { MOCK_ACCOUNT_ID } from "../../tools/preview/mocks";
import type { Plan, PlanResource } from "../../tools/preview/plan";
import { modelModule } from "../../tools/preview/kubernetes-schemas";
import { CRD_SCHEMA_MODELS } from "../../tools/preview/crd-schema";
import { LOCAL_MODELS } from "../../tools/preview/snapshot-schemas";
import { planFails, previewStack } from "../../tools/preview/run";
import { loadUsage } from "../../tools/preview/stack-file";
import { type ConfigUnderTest, configsUnderTest, environmentOf, previewAll, ROOT } from "../support/stack-configs";

const CONFIGS = configsUnderTest();
let plans = new Map<string, Plan>();
const envs = new Map<string, EnvironmentConfig>(CONFIGS.map((c) => [c.label, environmentOf(c)]));

beforeAll(async () => {
  plans = await previewAll(CONFIGS);
});

const one = (plan: Plan, type: string, name?: string): PlanResource => {
  const found = plan.resources.filter((r) => r.type === type && (name === undefined || r.name === name));
  expect(found, `${type} ${name ?? ""}`).toHaveLength(1);
  return found[0]!;
};
const all = (plan: Plan, type: string): PlanResource[] => plan.resources.filter((r) => r.type === type);
const metadataName = (r: PlanResource): string => (r.inputs["metadata"] as { name: string }).name;
type Requirement = { key: string; operator: string; values: string[] };
const requirementsOf = (pool: PlanResource): Requirement[] =>
  (pool.inputs["spec"] as { template: { spec: { requirements: Requirement[] } } }).template.spec.requirements;
const valuesOf = (pool: PlanResource, key: string): string[] => requirementsOf(pool).find((r) => r.key === key)?.values ?? [];

/**
 * Resources that hold data or guard it: protected exactly when the tier protects (tiers.ts). Every
 * KMS key, bucket and the cluster; Redis's StatefulSet, password and its Secret; a team's dataset
 * claim. (Grafana's admin password is not data: it can be regenerated.)
 */
const STATEFUL_TYPES = new Set(["aws:kms/key:Key", "aws:s3/bucket:Bucket", "eks:index:Cluster"]);
const REDIS_DATA = new Set(["kubernetes:apps/v1:StatefulSet", "kubernetes:core/v1:Secret", "random:index/randomPassword:RandomPassword"]);
const holdsData = (r: PlanResource): boolean =>
  STATEFUL_TYPES.has(r.type) ||
  (REDIS_DATA.has(r.type) && r.urn.includes("::highmem:redis:RedisCluster$")) ||
  (r.type === "kubernetes:core/v1:PersistentVolumeClaim" && r.urn.includes("::highmem:workloads:TeamNamespace$"));

describe.each(CONFIGS)("$label, end to end through the offline preview", (c: ConfigUnderTest) => {
  const plan = () => plans.get(c.label)!;
  const env = envs.get(c.label)!;

  it("passes every check: no config, schema or first-deploy finding, no mandatory policy violation", () => {
    const p = plan();
    expect(p.configErrors).toEqual([]);
    expect(p.schemaErrors).toEqual([]);
    expect(p.deployFindings).toEqual([]);
    expect(p.violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
    expect(planFails(p)).toBe(false);
  });

  it("declares the network its config asks for: a VPC with one NAT gateway per zone for perAz, one for single; none for an existing VPC", () => {
    const p = plan();
    const net = env.network;
    if (net.kind === "create") {
      expect(one(p, "aws:ec2/vpc:Vpc").inputs).toMatchObject({ cidrBlock: net.cidr, enableDnsHostnames: true, enableDnsSupport: true });
      expect(all(p, "aws:ec2/natGateway:NatGateway")).toHaveLength(net.natGateways === "perAz" ? net.availabilityZones.length : 1);
      const zones = all(p, "aws:ec2/subnet:Subnet").map((s) => s.inputs["availabilityZone"]);
      expect([...new Set(zones)].sort()).toEqual([...net.availabilityZones].sort());
      expect(p.outputs["vpcId"]).toMatch(/^vpc-[0-9a-f]{17}$/);
      expect(p.outputs["privateSubnetIds"]).toHaveLength(net.availabilityZones.length);
      expect(p.outputs["publicSubnetIds"]).toHaveLength(net.availabilityZones.length);
    } else {
      expect(all(p, "aws:ec2/vpc:Vpc")).toEqual([]);
      expect(all(p, "aws:ec2/natGateway:NatGateway")).toEqual([]);
      expect(p.outputs["vpcId"]).toBe(net.vpcId);
      expect(p.outputs["privateSubnetIds"]).toEqual(net.privateSubnetIds);
      expect(p.outputs["publicSubnetIds"]).toEqual(net.publicSubnetIds);
    }
  });

  it("configures the cluster: named <namePrefix>, the stack's Kubernetes version with its pinned add-ons, API authentication, KMS secrets encryption, all logs", () => {
    const p = plan();
    const key = one(p, "aws:kms/key:Key", "cluster-secrets");
    const cluster = one(p, "eks:index:Cluster");
    expect(cluster.inputs).toMatchObject({
      name: env.namePrefix,
      version: env.cluster.kubernetesVersion,
      authenticationMode: "API",
      enabledClusterLogTypes: ["api", "audit", "authenticator", "controllerManager", "scheduler"],
      endpointPrivateAccess: true,
      bootstrapSelfManagedAddons: false,
      skipDefaultNodeGroup: true,
      nodeAssociatePublicIpAddress: false,
      upgradePolicy: { supportType: "STANDARD" },
    });
    expect(key.inputs).toMatchObject({ enableKeyRotation: true });
    expect(one(p, "aws:kms/key:Key", "storage-volumes").inputs).toMatchObject({ enableKeyRotation: true });
    expect(String(cluster.inputs["encryptionConfigKeyArn"])).toMatch(new RegExp(`^arn:aws:kms:${env.region}:\\d{12}:key/`));
    expect(key.urn).toBe(`urn:pulumi:${c.stack}::highmem-platform::highmem:cluster:EksCluster$aws:kms/key:Key::cluster-secrets`);
    const logGroup = one(p, "aws:cloudwatch/logGroup:LogGroup", "cluster-control-plane");
    expect(logGroup.inputs["retentionInDays"]).toBe(env.cluster.logRetentionDays);
    expect(cluster.dependsOn).toContain(logGroup.urn);
    // Every log group of the stack is encrypted with a key of its own and meets the tier's minimum.
    for (const g of p.resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")) {
      expect(String(g.inputs["kmsKeyId"]), g.urn).toMatch(/^arn:aws:kms:/);
      expect(Number(g.inputs["retentionInDays"]), g.urn).toBeGreaterThanOrEqual(MINIMUM_LOG_RETENTION_DAYS[env.tier]);
    }
    const addons = all(p, "aws:eks/addon:Addon").map((r) => [r.inputs["addonName"], r.inputs["addonVersion"]]);
    expect(Object.fromEntries(addons)).toEqual(EKS_ADDON_VERSIONS[env.cluster.kubernetesVersion]);
  });

  it("opens the public endpoint exactly to the listed CIDRs (private when none), lets the private deploy paths in, and grants the listed admin roles", () => {
    const p = plan();
    const cluster = one(p, "eks:index:Cluster");
    const publicCidrs = env.cluster.publicAccessCidrs;
    expect(cluster.inputs["endpointPublicAccess"]).toBe(publicCidrs.length > 0);
    expect(cluster.inputs["publicAccessCidrs"]).toEqual(publicCidrs.length > 0 ? publicCidrs : undefined);
    const ingress = all(p, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) => r.name.includes("-api-private-"));
    expect(ingress.map((r) => r.inputs["cidrIpv4"]).sort()).toEqual([...env.cluster.privateAccessCidrs].sort());
    expect(cluster.inputs["accessEntries"] ?? {}).toEqual(
      Object.fromEntries(
        env.cluster.adminRoleArns.map((principalArn, i) => [
          `admin-${i}`,
          {
            principalArn,
            type: "STANDARD",
            accessPolicies: {
              clusterAdmin: { policyArn: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy", accessScope: { type: "cluster" } },
            },
          },
        ]),
      ),
    );
  });

  it("protects what holds data if and only if the tier protects (prod), and turns on the cluster's deletion protection then", () => {
    const p = plan();
    expect(env.protect).toBe(env.tier === "prod");
    const stateful = p.resources.filter(holdsData);
    expect(stateful.length).toBeGreaterThanOrEqual(6);
    const protectedUrns = p.resources
      .filter((r) => r.protect)
      .map((r) => r.urn)
      .sort();
    expect(protectedUrns).toEqual(env.protect ? stateful.map((r) => r.urn).sort() : []);
    expect(one(p, "eks:index:Cluster").inputs["deletionProtection"]).toBe(env.protect);
  });

  it("exports the cluster name, region, tier, and the kubeconfig only as a secret", () => {
    const p = plan();
    expect(p.outputs).toMatchObject({ clusterName: env.namePrefix, region: env.region, tier: env.tier, kubernetesVersion: env.cluster.kubernetesVersion });
    expect(p.outputs["kubeconfig"]).toEqual({ "@secret": expect.stringMatching(/^sha256:[0-9a-f]{16}$/) });
    expect(one(p, "pulumi:providers:kubernetes").inputs["kubeconfig"]).toEqual({ "@secret": expect.any(String) });
    expect(JSON.stringify(p)).not.toContain("certificate-authority-data");
  });

  it("runs Karpenter: the controller, its queue with five rules, a node class and a pool per declared pool, every Kubernetes object through the cluster's provider", () => {
    const p = plan();
    expect(
      all(p, "kubernetes:helm.sh/v3:Release")
        .map((r) => r.inputs["name"])
        .sort(),
    ).toEqual([
      "karpenter",
      "karpenter-crd",
      "keda",
      "kube-prometheus-stack",
      ...(env.cluster.admission.mode === "off" ? [] : ["kyverno"]),
      "prometheus-operator-crds",
      "vertical-pod-autoscaler",
    ]);
    expect(one(p, "aws:sqs/queue:Queue").inputs["name"]).toBe(`${env.namePrefix}-karpenter`);
    expect(all(p, "aws:cloudwatch/eventRule:EventRule")).toHaveLength(5);
    expect(all(p, "kubernetes:karpenter.sh/v1:NodePool").map(metadataName).sort()).toEqual(env.karpenter.pools.map((d) => d.name).sort());
    expect(all(p, "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass")).toHaveLength(env.karpenter.pools.length);
    // The platform's own pools are always there, one per kind; a pool's role label is its kind's.
    for (const kind of POOL_KINDS)
      expect(
        env.karpenter.pools.some((d) => d.kind === kind),
        kind,
      ).toBe(true);
    for (const d of env.karpenter.pools) {
      const pool = all(p, "kubernetes:karpenter.sh/v1:NodePool").find((r) => metadataName(r) === d.name)!;
      expect((pool.inputs["spec"] as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels[POOL_ROLE_LABEL], d.name).toBe(
        POOL_KIND_REGISTRY[d.kind].role,
      );
    }
    const k8sProvider = one(p, "pulumi:providers:kubernetes").urn;
    expect(p.resources.filter((r) => r.type.startsWith("kubernetes:") && r.provider !== k8sProvider).map((r) => r.urn)).toEqual([]);
  });

  it("sizes every high-memory pool for the stack's largest pod: every type holds it, fits the node limit and the architectures, enough types for spot-to-spot, limits as declared", () => {
    const p = plan();
    const k = env.karpenter;
    for (const d of k.pools.filter((x) => POOL_KIND_REGISTRY[x.kind].role === "high-memory")) {
      const capacity = d.kind === "high-memory-spot" ? "spot" : "on-demand";
      const pool = p.resources.find((r) => r.type === "kubernetes:karpenter.sh/v1:NodePool" && metadataName(r) === d.name)!;
      const hugePagesGiB = d.hugePagesGiB ?? 0;
      const names = valuesOf(pool, "node.kubernetes.io/instance-type");
      expect(names.length).toBeGreaterThanOrEqual(capacity === "spot" ? SPOT_TO_SPOT_MIN_TYPES : 1);
      expect([...names].sort()).toEqual(
        highMemoryTypes({ ...k, region: env.region, limits: d.limits, hugePagesGiB })
          .map((t) => t.name)
          .sort(),
      );
      for (const name of names) {
        const type = INSTANCE_TYPES.find((t) => t.name === name);
        expect(type, name).toBeDefined();
        expect(allocatableForPodsMiB(type!, { daemonsetMiB: DAEMONSET_MEMORY_MIB, hugePagesGiB }) / 1024, name).toBeGreaterThanOrEqual(k.largestPodMemoryGiB);
        expect(type!.memoryGiB, name).toBeLessThanOrEqual(k.maxNodeMemoryGiB);
        expect(k.architectures, name).toContain(type!.arch);
      }
      expect([...valuesOf(pool, "kubernetes.io/arch")].sort()).toEqual([...k.architectures].sort());
      expect(valuesOf(pool, "karpenter.sh/capacity-type")).toEqual([capacity]);
    }
    for (const d of k.pools) {
      const pool = p.resources.find((r) => r.type === "kubernetes:karpenter.sh/v1:NodePool" && metadataName(r) === d.name)!;
      expect((pool.inputs["spec"] as { limits: unknown }).limits, d.name).toEqual({ cpu: String(d.limits.cpu), memory: `${d.limits.memoryGiB}Gi` });
    }
    expect(k.pools.find((d) => d.kind === "general")!.limits).toEqual(k.generalLimits);
    expect(k.pools.find((d) => d.kind === "high-memory-spot")!.limits).toEqual(k.highMemoryLimits);
  });

  it("has gp3 as the only default class, both classes encrypted and bound on first consumer, volumes retained iff protected", () => {
    const classes = all(plan(), "kubernetes:storage.k8s.io/v1:StorageClass").map(
      (r) =>
        r.inputs as {
          metadata: { name: string; annotations?: Record<string, string> };
          parameters: Record<string, string>;
          volumeBindingMode: string;
          reclaimPolicy: string;
          allowVolumeExpansion: boolean;
        },
    );
    expect(classes.map((s) => s.metadata.name).sort()).toEqual(["gp3", "gp3-high-iops"]);
    expect(classes.filter((s) => s.metadata.annotations?.["storageclass.kubernetes.io/is-default-class"] === "true").map((s) => s.metadata.name)).toEqual([
      "gp3",
    ]);
    for (const s of classes) {
      expect(s).toMatchObject({ volumeBindingMode: "WaitForFirstConsumer", allowVolumeExpansion: true, reclaimPolicy: env.protect ? "Retain" : "Delete" });
      expect(s.parameters).toMatchObject({ type: "gp3", encrypted: "true", kmsKeyId: expect.stringMatching(new RegExp(`^arn:aws:kms:${env.region}:`)) });
    }
    expect(classes.find((s) => s.metadata.name === "gp3-high-iops")!.parameters).toMatchObject({
      iops: String(env.storage.highIops),
      throughput: String(env.storage.highIopsThroughputMiBps),
    });
  });

  it("runs the Redis Cluster as configured: a master and a replica per shard, on-demand, a volume per pod, Guaranteed QoS, its network policy", () => {
    const p = plan();
    // The Redis Cluster's own objects (a stack's reference workloads may add StatefulSets and Jobs).
    const ofRedis = (type: string) => all(p, type).filter((r) => r.urn.includes("highmem:redis:RedisCluster$"));
    expect(ofRedis("kubernetes:apps/v1:StatefulSet")).toHaveLength(1);
    const sts = ofRedis("kubernetes:apps/v1:StatefulSet")[0]!.inputs as {
      metadata: { namespace: string };
      spec: {
        replicas: number;
        podManagementPolicy: string;
        volumeClaimTemplates: { spec: { storageClassName: string; resources: { requests: { storage: string } } } }[];
        template: {
          spec: { affinity: unknown; containers: { name: string; resources: { requests: Record<string, string>; limits: Record<string, string> } }[] };
        };
      };
    };
    expect(sts.metadata.namespace).toBe("data");
    expect(sts.spec.replicas).toBe(env.redis.masters * 2);
    expect(sts.spec.podManagementPolicy).toBe("Parallel");
    expect(sts.spec.volumeClaimTemplates[0]!.spec).toMatchObject({
      storageClassName: env.redis.storageClassName,
      resources: { requests: { storage: `${env.redis.storageGiB}Gi` } },
    });
    const redis = sts.spec.template.spec.containers.find((ct) => ct.name === "redis")!;
    expect(redis.resources.requests).toEqual(redis.resources.limits);
    expect(redis.resources.limits).toMatchObject({ memory: `${env.redis.memoryGiB}Gi`, cpu: String(env.redis.cpu) });
    expect(JSON.stringify(sts.spec.template.spec.affinity)).toContain('"values":["on-demand"]');
    expect(
      all(p, "kubernetes:networking.k8s.io/v1:NetworkPolicy").filter((r) => (r.inputs["metadata"] as { namespace: string }).namespace === "data"),
    ).toHaveLength(1);
    // The topology Jobs: drain before the StatefulSet, bootstrap after it.
    expect(
      ofRedis("kubernetes:batch/v1:Job")
        .map((r) => r.name)
        .sort(),
    ).toEqual(["redis-bootstrap", "redis-drain"]);
    expect(p.resources.filter((r) => r.type === "kubernetes:monitoring.coreos.com/v1:ServiceMonitor" && r.name === "redis-monitor")).toHaveLength(1);
    expect(one(p, "kubernetes:core/v1:Secret", "redis-auth").inputs["stringData"]).toEqual({ "@secret": expect.stringMatching(/^sha256:/) });
  });

  it("keeps the data bucket in the stack's region and a replica, with its own key, in exactly each resolved replica region", () => {
    const p = plan();
    const replicas = env.buckets.replicaRegions;
    const dataBuckets = all(p, "aws:s3/bucket:Bucket").filter((b) => b.name.endsWith("-data"));
    expect(dataBuckets.map((b) => b.inputs["region"]).sort()).toEqual([env.region, ...replicas].sort());
    expect(
      all(p, "aws:kms/key:Key")
        .filter((k) => k.name.startsWith("data-buckets-"))
        .map((k) => k.inputs["region"])
        .sort(),
    ).toEqual([env.region, ...replicas].sort());
    const bucketName = (region: string) => `${env.namePrefix}-data-${region}-${MOCK_ACCOUNT_ID}`;
    expect(p.outputs["dataBucket"]).toBe(bucketName(env.region));
    expect(p.outputs["replicaBuckets"]).toEqual(replicas.map(bucketName));
    const configs = all(p, "aws:s3/bucketReplicationConfig:BucketReplicationConfig");
    if (replicas.length === 0) {
      expect(configs).toEqual([]);
      expect(p.resources.filter((r) => r.type === "aws:iam/role:Role" && r.name === "data-buckets-replication")).toEqual([]);
      return;
    }
    const replication = one(p, "aws:s3/bucketReplicationConfig:BucketReplicationConfig").inputs as {
      rules: { destination: { bucket: string } }[];
      role: string;
    };
    expect(replication.rules.map((r) => r.destination.bucket)).toEqual(replicas.map((r) => `arn:aws:s3:::${bucketName(r)}`));
    const role = one(p, "aws:iam/role:Role", "data-buckets-replication");
    expect(role.inputs["name"]).toBe(`${env.namePrefix}-s3-replication`);
    expect(replication.role).toBe(`arn:aws:iam::${MOCK_ACCOUNT_ID}:role/${env.namePrefix}-s3-replication`);
  });

  it("sends every AWS alarm to the stack's encrypted alarm topic, whose ARN is an output, and subscribes the listed emails", () => {
    const p = plan();
    const topic = one(p, "aws:sns/topic:Topic");
    expect(String(topic.inputs["kmsMasterKeyId"] ?? "")).not.toBe("");
    const alarms = all(p, "aws:cloudwatch/metricAlarm:MetricAlarm");
    const metrics = alarms.map((a) => a.inputs["metricName"]);
    // One failed-replication alarm per replica region; failed volume snapshots and deletions, and
    // failed snapshot copies when there are replica regions to copy to.
    expect(metrics.filter((m) => m === "OperationsFailedReplication")).toHaveLength(env.buckets.replicaRegions.length);
    expect(metrics.filter((m) => m !== "OperationsFailedReplication").sort()).toEqual(
      [...(env.buckets.replicaRegions.length > 0 ? ["SnapshotsCopiedRegionFailed"] : []), "SnapshotsCreateFailed", "SnapshotsDeleteFailed"].sort(),
    );
    for (const alarm of alarms) expect(alarm.inputs["alarmActions"], alarm.name).toEqual([p.outputs["alarmTopicArn"]]);
    expect(p.outputs["alarmTopicArn"]).toMatch(new RegExp(`^arn:aws:sns:${env.region}:\\d{12}:`));
    expect(
      all(p, "aws:sns/topicSubscription:TopicSubscription")
        .map((s) => s.inputs["endpoint"])
        .sort(),
    ).toEqual([...env.monitoring.alarmEmailAddresses].sort());
  });
  it("installs kube-prometheus-stack without the control-plane targets EKS hides, with the configured retention, replicas and gp3 volume", () => {
    const values = plan().resources.find((r) => r.type === "kubernetes:helm.sh/v3:Release" && r.inputs["name"] === "kube-prometheus-stack")!.inputs[
      "values"
    ] as Record<string, { enabled?: boolean; prometheusSpec?: Record<string, unknown> }>;
    for (const k of ["kubeControllerManager", "kubeScheduler", "kubeEtcd", "kubeProxy"]) expect(values[k]).toEqual({ enabled: false });
    expect(values["prometheus"]!.prometheusSpec).toMatchObject({
      retention: `${env.monitoring.retentionDays}d`,
      replicas: env.monitoring.prometheusReplicas,
      storageSpec: { volumeClaimTemplate: { spec: { storageClassName: "gp3", resources: { requests: { storage: `${env.monitoring.storageGiB}Gi` } } } } },
    });
    expect(env.monitoring.prometheusReplicas).toBe(env.tier === "prod" ? 2 : 1);
    // Receiver secrets are never in the chart's values.
    expect(JSON.stringify(values)).not.toMatch(/hooks\.slack\.com|routing_key"/);
  });

  it("declares the platform's PrometheusRule, the Karpenter ServiceMonitor and every dashboard, and hides the Grafana password", () => {
    const p = plan();
    const rules = all(p, "kubernetes:monitoring.coreos.com/v1:PrometheusRule").filter((r) => metadataName(r) === "highmem-platform");
    expect(rules).toHaveLength(1);
    // Every backup CronJob of the plan has its BackupTooOld alert, on its own namespace and name.
    const alertText = JSON.stringify(rules[0]!.inputs["spec"]);
    for (const job of all(p, "kubernetes:batch/v1:CronJob").filter((r) => (r.inputs["metadata"] as { name: string }).name.endsWith("-backup"))) {
      const { name, namespace } = job.inputs["metadata"] as { name: string; namespace: string };
      expect(alertText).toContain(`kube_cronjob_status_last_successful_time{namespace=\\"${namespace}\\", cronjob=\\"${name}\\"}`);
    }
    expect(all(p, "kubernetes:monitoring.coreos.com/v1:ServiceMonitor").filter((r) => metadataName(r) === "karpenter")).toHaveLength(1);
    const dashboards = all(p, "kubernetes:core/v1:ConfigMap").filter(
      (r) => (r.inputs["metadata"] as { labels?: Record<string, string> }).labels?.["grafana_dashboard"] === "1",
    );
    expect(dashboards).toHaveLength(DASHBOARDS.length);
    expect(p.outputs["grafanaAdminPassword"]).toEqual({ "@secret": expect.any(String) });
  });

  it("estimates its monthly cost: finite parts that add up, the control plane at $73, each NAT gateway at its hours plus its share of the expected data, missing usage listed rather than counted as zero", () => {
    const p = plan();
    const cost = p.cost!;
    const usage = loadUsage(c.root, c.stack) ?? {};
    for (const [part, usd] of Object.entries(cost.monthlyUsd)) expect(Number.isFinite(usd) && usd >= 0, part).toBe(true);
    expect(cost.monthlyUsd.total).toBeCloseTo(
      cost.monthlyUsd.fixed + cost.monthlyUsd.usage + cost.monthlyUsd.nodePoolsExpected + cost.monthlyUsd.capacityWindows,
      1,
    );
    expect(cost.monthlyUsd.nodePoolsAtLimit).toBeGreaterThan(0);
    expect(Number.isFinite(cost.highMemoryPerGiBHour.spot) && Number.isFinite(cost.highMemoryPerGiBHour.onDemand)).toBe(true);
    expect(cost.byResource[one(p, "eks:index:Cluster").urn]).toBe(73); // $0.10 × 730 h
    const nats = all(p, "aws:ec2/natGateway:NatGateway");
    for (const nat of nats) expect(cost.byResource[nat.urn]).toBeCloseTo(0.045 * 730 + ((usage.natDataGbPerMonth ?? 0) / nats.length) * 0.045, 2);
    if (nats.length > 0 && usage.natDataGbPerMonth === undefined)
      expect(cost.dependsOnUsage).toContain("NAT gateway data: depends on usage (natDataGbPerMonth)");
    if (usage.s3GbStored === undefined) expect(cost.dependsOnUsage).toContain("S3 storage: depends on usage (s3GbStored)");
  });
});

describe("the configs under test", () => {
  it("include every stack file present and generated configs of other shapes: each tier, a non-default region and version, an existing VPC, arm64, no replicas, extra node pools", () => {
    const envList = [...envs.values()];
    expect(CONFIGS.filter((c) => c.root === ROOT).length).toBeGreaterThanOrEqual(1);
    expect(new Set(envList.map((e) => e.tier))).toEqual(new Set(["dev", "staging", "prod"]));
    expect(envList.some((e) => e.region !== "us-west-2")).toBe(true);
    expect(envList.some((e) => e.network.kind === "existing")).toBe(true);
    expect(envList.some((e) => e.karpenter.architectures.includes("arm64"))).toBe(true);
    expect(envList.some((e) => e.karpenter.pools.length > 4)).toBe(true);
    expect(envList.some((e) => e.tier === "prod" && e.buckets.replicaRegions.length === 0)).toBe(true);
    expect(new Set(envList.map((e) => e.cluster.kubernetesVersion)).size).toBeGreaterThan(1);
  });

  it("previews deterministically: a second preview of a config gives the same plan", async () => {
    // The one config previewed twice in this file, on purpose.
    const c = CONFIGS[CONFIGS.length - 1]!;
    expect((await previewStack(c.stack, { root: c.root })).plan).toEqual(plans.get(c.label));
  });
});

describe("schema models bundle", () => {
  it("holds the model of every Kubernetes kind the configs declare, so that no preview takes the slow path", () => {
    const entry = readFileSync(join(ROOT, "tools", "preview", "schema-models.entry.mjs"), "utf8");
    const bundledSpecifiers = new Set([...entry.matchAll(/^\s+"([^"]+)": \w+,$/gm)].map((m) => m[1]));
    const used = new Set(
      [...plans.values()]
        .flatMap((p) => p.resources.map((r) => r.type))
        .filter((t) => /^kubernetes:(?!helm\.sh)/.test(t) && !(t in LOCAL_MODELS) && !(t in CRD_SCHEMA_MODELS))
        .map((t) => modelModule(t)!.specifier),
    );
    expect(used.size).toBeGreaterThan(10);
    expect([...used].filter((s) => !bundledSpecifiers.has(s))).toEqual([]);
  });
});
