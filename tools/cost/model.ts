/**
 * A monthly cost estimate over an offline plan: fixed costs per resource, usage-based costs from
 * stacks/usage.<stack>.yaml, and the node pools as a range (at expected usage, and at their limits).
 * Missing usage gives a "depends on usage" line, never a silent zero.
 */
import { INSTANCE_TYPES } from "../../components/internal";
import { POOL_ROLE_LABEL } from "../../components/internal";
import { allocatableForPodsMiB, DAEMONSET_MEMORY_MIB, WINDOW_ANNOTATIONS } from "../../components/internal";
import { DATA_BUCKET_OUTPUTS } from "../../stacks/outputs";
import type { Plan, PlanResource } from "../preview/plan";
import { HOURS_PER_MONTH as H, PRICES as P, gp3Monthly, onDemandPerHour, spotDiscount } from "./prices";

export interface Usage {
  readonly natDataGbPerMonth?: number;
  readonly s3GbStored?: number;
  readonly s3GbReplicatedPerMonth?: number;
  readonly nodeHoursPerMonth?: Readonly<Record<string, number>>;
}

export interface CostEstimate {
  readonly monthlyUsd: {
    readonly total: number;
    readonly fixed: number;
    readonly usage: number;
    readonly nodePoolsExpected: number;
    readonly nodePoolsAtLimit: number;
    /** Nodes the capacity windows hold (lead + duration + drain), at the price of their pool's capacity type. */
    readonly capacityWindows: number;
  };
  readonly byResource: Record<string, number>;
  readonly highMemoryPerGiBHour: { readonly spot: number; readonly onDemand: number; readonly baseline: number };
  readonly dependsOnUsage: string[];
  /** One line per capacity window: what it holds and what that costs a month. */
  readonly capacityWindows: string[];
  /**
   * One line per workload whose pods run on the high-memory pools: what its pods hold an hour at the
   * pools' spot and on-demand price per GiB. Not in the total: those node-hours are the pools' usage.
   */
  readonly highMemoryWorkloads: string[];
}

type Json = Record<string, unknown>;
const at = (v: unknown, path: string): unknown =>
  path.split(".").reduce<unknown>((o, k) => (o !== null && typeof o === "object" ? (o as Json)[k] : undefined), v);
const gib = (q: unknown) => Number(/^(\d+)Gi$/.exec(String(q))?.[1] ?? NaN);
const round = (n: number) => Math.round(n * 100) / 100;

/** The cheapest instance of a pool per GiB-hour, on demand and after the assumed spot discount. */
function poolPrices(pool: PlanResource): { onDemandPerGiB: number; spotPerGiB: number; type: string; capacity: string[] } | undefined {
  const reqs = (at(pool.inputs, "spec.template.spec.requirements") as { key: string; values: string[] }[] | undefined) ?? [];
  const types = reqs.find((r) => r.key === "node.kubernetes.io/instance-type")?.values ?? [];
  const capacity = reqs.find((r) => r.key === "karpenter.sh/capacity-type")?.values ?? [];
  let best: { onDemandPerGiB: number; spotPerGiB: number; type: string } | undefined;
  for (const t of types) {
    const price = onDemandPerHour(t);
    const info = price === undefined ? undefined : { price, gib: memoryOf(t) };
    if (!info || !info.gib) continue;
    const candidate = { onDemandPerGiB: info.price / info.gib, spotPerGiB: (info.price * (1 - spotDiscount(t))) / info.gib, type: t };
    if (!best || candidate.onDemandPerGiB < best.onDemandPerGiB) best = candidate;
  }
  return best && { ...best, capacity };
}

const memoryOf = (t: string) => INSTANCE_TYPES.find((i) => i.name === t)?.memoryGiB;

/**
 * The root volume every node of a pool launches with, priced a month per node: its EC2NodeClass's
 * gp3 size, IOPS and throughput (throughput above 125 MiB/s is billed, so the 500 MiB/s that pools
 * without local NVMe get is a real line of their cost). Karpenter names the class in the pool's
 * nodeClassRef.
 */
function rootVolumeMonthly(plan: Plan, pool: PlanResource): number {
  const className = at(pool.inputs, "spec.template.spec.nodeClassRef.name");
  const nodeClass = plan.resources.find((r) => r.type === "kubernetes:karpenter.k8s.aws/v1:EC2NodeClass" && at(r.inputs, "metadata.name") === className);
  const mappings = (at(nodeClass?.inputs, "spec.blockDeviceMappings") as Json[] | undefined) ?? [];
  const root = mappings.find((m) => m["rootVolume"] === true) ?? mappings[0];
  if (!root) return 0;
  return gp3Monthly(gib(at(root, "ebs.volumeSize")), Number(at(root, "ebs.iops") ?? 3000), Number(at(root, "ebs.throughput") ?? 125));
}

export function estimateCost(plan: Plan, usage: Usage | undefined): CostEstimate {
  const u: Usage = usage ?? {};
  const byResource: Record<string, number> = {};
  const depends: string[] = [];
  let fixed = 0;
  let usageBased = 0;
  let poolsExpected = 0;
  let poolsAtLimit = 0;
  const add = (r: PlanResource, usd: number, kind: "fixed" | "usage") => {
    byResource[r.urn] = round((byResource[r.urn] ?? 0) + usd);
    if (kind === "fixed") fixed += usd;
    else usageBased += usd;
  };
  const classes = new Map(
    plan.resources.filter((r) => r.type === "kubernetes:storage.k8s.io/v1:StorageClass").map((r) => [String(at(r.inputs, "metadata.name")), r]),
  );
  const volume = (className: string, size: number) => {
    const c = classes.get(className);
    return gp3Monthly(size, Number(at(c?.inputs, "parameters.iops") ?? 3000), Number(at(c?.inputs, "parameters.throughput") ?? 125));
  };
  const nats = plan.resources.filter((r) => r.type === "aws:ec2/natGateway:NatGateway");
  // The data buckets are the ones the stack outputs name (a typed output recorded in the plan), not a naming convention.
  const dataBucketNames = new Set(
    [plan.outputs?.[DATA_BUCKET_OUTPUTS.source], ...asArray(plan.outputs?.[DATA_BUCKET_OUTPUTS.replicas])].filter((n): n is string => typeof n === "string"),
  );
  const dataBuckets = plan.resources.filter((r) => r.type === "aws:s3/bucket:Bucket" && dataBucketNames.has(String(r.inputs["bucket"])));

  for (const r of plan.resources) {
    switch (r.type) {
      case "eks:index:Cluster":
        add(r, P.eksControlPlanePerHour * H, "fixed");
        break;
      case "aws:ec2/natGateway:NatGateway":
        add(r, P.natGatewayPerHour * H, "fixed");
        if (u.natDataGbPerMonth !== undefined) add(r, (u.natDataGbPerMonth / nats.length) * P.natGatewayPerGb, "usage");
        break;
      case "aws:ec2/eip:Eip":
        add(r, P.publicIpv4PerHour * H, "fixed");
        break;
      case "aws:kms/key:Key":
        add(r, P.kmsKeyPerMonth, "fixed");
        break;
      case "aws:cloudwatch/metricAlarm:MetricAlarm":
        add(r, P.cloudwatchAlarmPerMonth, "fixed");
        break;
      case "aws:eks/nodeGroup:NodeGroup": {
        const desired = Number(at(r.inputs, "scalingConfig.desiredSize") ?? 0);
        const type = String((r.inputs["instanceTypes"] as string[] | undefined)?.[0]);
        const template = plan.resources.find((x) => x.type === "aws:ec2/launchTemplate:LaunchTemplate" && x.parent === r.parent);
        const rootGiB = Number(at(template?.inputs, "blockDeviceMappings.0.ebs.volumeSize") ?? 20);
        add(r, desired * ((onDemandPerHour(type) ?? 0) * H + gp3Monthly(rootGiB)), "fixed");
        break;
      }
      case "kubernetes:apps/v1:StatefulSet": {
        const replicas = Number(at(r.inputs, "spec.replicas") ?? 1);
        const claims = (at(r.inputs, "spec.volumeClaimTemplates") as Json[] | undefined) ?? [];
        add(
          r,
          replicas * claims.reduce((sum, c) => sum + volume(String(at(c, "spec.storageClassName")), gib(at(c, "spec.resources.requests.storage"))), 0),
          "fixed",
        );
        break;
      }
      case "kubernetes:core/v1:PersistentVolumeClaim": {
        // A standalone claim (a team's dataset volume) is a volume of its class; a claim bound to a
        // pre-provisioned volume (class "", such as a Mountpoint prefix) costs nothing of its own.
        const className = String(at(r.inputs, "spec.storageClassName") ?? "");
        if (className === "") break;
        add(r, volume(className, gib(at(r.inputs, "spec.resources.requests.storage"))), "fixed");
        break;
      }
      case "kubernetes:helm.sh/v3:Release": {
        const spec = at(r.inputs, "values.prometheus.prometheusSpec");
        if (!spec) break;
        const claim = at(spec, "storageSpec.volumeClaimTemplate.spec");
        add(r, Number(at(spec, "replicas") ?? 1) * volume(String(at(claim, "storageClassName")), gib(at(claim, "resources.requests.storage"))), "fixed");
        break;
      }
      case "kubernetes:karpenter.sh/v1:NodePool": {
        const name = String(at(r.inputs, "metadata.name"));
        const prices = poolPrices(r);
        const limitGiB = gib(at(r.inputs, "spec.limits.memory"));
        const spot = prices?.capacity.includes("spot") && !prices.capacity.includes("on-demand");
        const perGiB = prices ? (spot ? prices.spotPerGiB : prices.onDemandPerGiB) : undefined;
        const rootPerNodeHour = rootVolumeMonthly(plan, r) / H;
        if (prices && perGiB !== undefined && Number.isFinite(limitGiB)) {
          // At its limit the pool runs limit / (memory of its cheapest type) nodes, each with a root volume.
          const nodes = Math.ceil(limitGiB / (memoryOf(prices.type) ?? limitGiB));
          poolsAtLimit += limitGiB * perGiB * H + nodes * rootPerNodeHour * H;
        }
        const hours = u.nodeHoursPerMonth?.[name];
        if (hours === undefined || !prices) {
          depends.push(
            `node pool ${name}: depends on usage (nodeHoursPerMonth.${name})${prices ? "" : "; its instance types are chosen by Karpenter at run time"}`,
          );
        } else {
          const perHour = (onDemandPerHour(prices.type) ?? 0) * (spot ? 1 - spotDiscount(prices.type) : 1) + rootPerNodeHour;
          byResource[r.urn] = round(hours * perHour);
          poolsExpected += hours * perHour;
        }
        break;
      }
      case "aws:s3/bucket:Bucket":
        if (!dataBuckets.includes(r)) break;
        if (u.s3GbStored === undefined) break;
        add(r, u.s3GbStored * P.s3StandardPerGbMonth, "usage");
        break;
      case "aws:s3/bucketReplicationConfig:BucketReplicationConfig": {
        const rules = (r.inputs["rules"] as Json[] | undefined) ?? [];
        const rtc = rules.filter((x) => at(x, "destination.replicationTime.status") === "Enabled").length;
        if (u.s3GbReplicatedPerMonth === undefined) break;
        add(r, u.s3GbReplicatedPerMonth * (rules.length * P.crossRegionTransferPerGb + rtc * P.replicationTimeControlPerGb), "usage");
        break;
      }
      default:
        break;
    }
  }
  const windows = windowCosts(plan, depends);
  for (const w of windows) byResource[w.urn] = round((byResource[w.urn] ?? 0) + w.usd);
  const windowsUsd = windows.reduce((sum, w) => sum + w.usd, 0);

  if (u.natDataGbPerMonth === undefined && nats.length > 0) depends.push("NAT gateway data: depends on usage (natDataGbPerMonth)");
  if (u.s3GbStored === undefined && dataBuckets.length > 0) depends.push("S3 storage: depends on usage (s3GbStored)");
  if (u.s3GbReplicatedPerMonth === undefined && plan.resources.some((r) => r.type === "aws:s3/bucketReplicationConfig:BucketReplicationConfig"))
    depends.push("S3 replication transfer: depends on usage (s3GbReplicatedPerMonth)");

  // The high-memory price per GiB-hour: the cheapest spot-only pool whose role label says high-memory.
  const prices = plan.resources
    .filter(
      (r) =>
        r.type === "kubernetes:karpenter.sh/v1:NodePool" &&
        at(r.inputs, `spec.template.metadata.labels`) !== undefined &&
        (at(r.inputs, "spec.template.metadata.labels") as Json)[POOL_ROLE_LABEL] === "high-memory",
    )
    .map(poolPrices)
    .filter((p): p is NonNullable<typeof p> => p !== undefined && p.capacity.length === 1 && p.capacity[0] === "spot")
    .sort((a, b) => a.spotPerGiB - b.spotPerGiB)[0];
  const r5 = INSTANCE_TYPES.find((t) => t.name === "r5.8xlarge")!;
  return {
    monthlyUsd: {
      total: round(fixed + usageBased + poolsExpected + windowsUsd),
      fixed: round(fixed),
      usage: round(usageBased),
      nodePoolsExpected: round(poolsExpected),
      nodePoolsAtLimit: round(poolsAtLimit),
      capacityWindows: round(windowsUsd),
    },
    byResource,
    highMemoryPerGiBHour: {
      spot: round4(prices?.spotPerGiB ?? NaN),
      onDemand: round4(prices?.onDemandPerGiB ?? NaN),
      baseline: round4(r5.onDemandUsdPerHour["us-west-2"]! / r5.memoryGiB),
    },
    dependsOnUsage: depends,
    capacityWindows: windows.map((w) => w.line),
    highMemoryWorkloads: highMemoryWorkloadLines(plan, prices),
  };
}

const POD_TEMPLATE: Readonly<Record<string, string>> = {
  "kubernetes:apps/v1:StatefulSet": "spec.template.spec",
  "kubernetes:apps/v1:Deployment": "spec.template.spec",
  "kubernetes:batch/v1:Job": "spec.template.spec",
};

/**
 * What each workload on the high-memory pools costs an hour while its pods run: their memory limits
 * at the pools' price per GiB-hour (spot, and the on-demand fallback). A pod is on those pools when
 * it tolerates their taint and requires their role label (the workload helper's placement).
 */
function highMemoryWorkloadLines(plan: Plan, prices: { spotPerGiB: number; onDemandPerGiB: number } | undefined): string[] {
  if (!prices) return [];
  const lines: string[] = [];
  for (const r of plan.resources.filter((x) => POD_TEMPLATE[x.type] !== undefined)) {
    const pod = at(r.inputs, POD_TEMPLATE[r.type]!) as Json | undefined;
    const required = JSON.stringify(at(pod, "affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution") ?? {});
    if (!required.includes(`"${POOL_ROLE_LABEL}"`) || !required.includes('"high-memory"')) continue;
    // Capacity windows' placeholders are priced as windows.
    if ((at(r.inputs, "metadata.annotations") as Json | undefined)?.[WINDOW_ANNOTATIONS.pool] !== undefined) continue;
    const memory = ((at(pod, "containers") as Json[] | undefined) ?? []).reduce((sum, c) => sum + gib(at(c, "resources.limits.memory")), 0);
    const pods = Number(at(r.inputs, "spec.replicas") ?? at(r.inputs, "spec.parallelism") ?? 1);
    if (!Number.isFinite(memory)) continue;
    const name = `${String(at(r.inputs, "metadata.namespace") ?? "default")}/${String(at(r.inputs, "metadata.name"))}`;
    const kind = r.type.split(":").pop()!;
    lines.push(
      `${kind} ${name}: ${pods} x ${memory} GiB, $${(pods * memory * prices.spotPerGiB).toFixed(2)} an hour on spot, ` +
        `$${(pods * memory * prices.onDemandPerGiB).toFixed(2)} on demand, while it runs`,
    );
  }
  return lines;
}

/**
 * What each capacity window's placeholders hold: pods packed on the pool's cheapest type per GiB,
 * nodes x (lead + duration + drain) x starts per month (the Deployment's annotations, computed from
 * the schedule), at spot price on a spot-only pool, on-demand otherwise.
 */
function windowCosts(plan: Plan, depends: string[]): { urn: string; usd: number; line: string }[] {
  const out: { urn: string; usd: number; line: string }[] = [];
  for (const d of plan.resources.filter((r) => r.type === "kubernetes:apps/v1:Deployment")) {
    const notes = (at(d.inputs, "metadata.annotations") as Record<string, string> | undefined) ?? {};
    const poolName = notes[WINDOW_ANNOTATIONS.pool];
    if (poolName === undefined) continue;
    const labels = (at(d.inputs, "metadata.labels") as Record<string, string> | undefined) ?? {};
    const window = labels["capacity.highmem.io/window"] ?? String(at(d.inputs, "metadata.name"));
    const pool = plan.resources.find((r) => r.type === "kubernetes:karpenter.sh/v1:NodePool" && at(r.inputs, "metadata.name") === poolName);
    const prices = pool && poolPrices(pool);
    const podGiB = gib(at(d.inputs, "spec.template.spec.containers.0.resources.requests.memory"));
    const type = prices && INSTANCE_TYPES.find((t) => t.name === prices.type);
    const perNode = type ? Math.floor(allocatableForPodsMiB(type, { daemonsetMiB: DAEMONSET_MEMORY_MIB }) / (podGiB * 1024)) : 0;
    if (!prices || !type || perNode < 1) {
      depends.push(`capacity window ${window}: pool ${poolName}'s instance types are chosen by Karpenter at run time, so its node-hours have no price here`);
      continue;
    }
    const pods = Number(notes[WINDOW_ANNOTATIONS.pods]);
    const nodes = Math.ceil(pods / perNode);
    const nodeHours = nodes * Number(notes[WINDOW_ANNOTATIONS.heldHours]) * Number(notes[WINDOW_ANNOTATIONS.startsPerMonth]);
    const spot = prices.capacity.includes("spot") && !prices.capacity.includes("on-demand");
    const perHour = (onDemandPerHour(prices.type) ?? 0) * (spot ? 1 - spotDiscount(prices.type) : 1);
    const usd = nodeHours * perHour;
    out.push({
      urn: d.urn,
      usd,
      line: `capacity window ${window}: ${pods} x ${podGiB} GiB on ${nodes} ${prices.type} (${spot ? "spot" : "on-demand"}), ${round(nodeHours)} node-hours a month: $${round(usd).toFixed(2)}`,
    });
  }
  return out;
}

const asArray = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

function round4(n: number): number {
  return Math.round(n * 100000) / 100000;
}
