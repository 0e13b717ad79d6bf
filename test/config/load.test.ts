import * as pulumi from "@pulumi/pulumi";
import { afterEach, describe, expect, it } from "vitest";
import { ConfigError, loadEnvironment } from "../../stacks/config/load";

const P = "highmem-platform";
// Every valid stack names a deploy path to its API: here a runner subnet inside the VPC.
const base = (tier = "dev"): Record<string, string> => ({
  "aws:region": "us-west-2",
  [`${P}:tier`]: tier,
  [`${P}:clusterPrivateAccessCidrs`]: '["10.0.240.0/24"]',
});
const with_ = (extra: Record<string, string>, tier = "dev") => ({
  ...base(tier),
  ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [k.includes(":") ? k : `${P}:${k}`, v])),
});

/** Values of these keys count as secret (encrypted in the stack file), as the runtime would say. */
const SECRET_VALUES = new Set([`${P}:alertSlackWebhookUrl`, `${P}:alertPagerDutyRoutingKey`, `${P}:alertDeadMansSwitchUrl`]);
const secretInStack = { isSecret: (key: string) => SECRET_VALUES.has(key) };

function problemsOf(raw: Record<string, string>, stack = "test", options = secretInStack): ConfigError {
  try {
    loadEnvironment(raw, stack, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error("config was accepted");
}

describe("deploy path to a private API endpoint", () => {
  it("refuses a cluster that neither CI runners nor operators could reach, naming both keys", () => {
    const raw = { "aws:region": "us-west-2", [`${P}:tier`]: "prod" };
    const error = problemsOf(raw);
    expect(error.problems).toContainEqual(
      expect.objectContaining({ key: `${P}:clusterPrivateAccessCidrs`, message: expect.stringMatching(/needs a deploy path.*clusterPublicAccessCidrs/) }),
    );
  });

  it("accepts either a private deploy path or public ranges, and refuses 0.0.0.0/0 as a private range", () => {
    expect(
      loadEnvironment(with_({ clusterPublicAccessCidrs: '["203.0.113.0/24"]', clusterPrivateAccessCidrs: "[]" }), "dev").cluster.privateAccessCidrs,
    ).toEqual([]);
    expect(loadEnvironment(base("prod"), "prod").cluster.privateAccessCidrs).toEqual(["10.0.240.0/24"]);
    expect(problemsOf(with_({ clusterPrivateAccessCidrs: '["0.0.0.0/0"]' })).problems[0]).toMatchObject({ key: `${P}:clusterPrivateAccessCidrs[0]` });
  });
});

describe("valid config", () => {
  it("resolves dev's tier defaults: one NAT gateway, two system nodes, unprotected", () => {
    const env = loadEnvironment(base("dev"), "dev");
    expect(env.network).toEqual({
      kind: "create",
      cidr: "10.0.0.0/16",
      availabilityZones: ["us-west-2a", "us-west-2b", "us-west-2c"],
      natGateways: "single",
      flowLogRetentionDays: 7,
    });
    expect(env.cluster.systemNodes).toMatchObject({ minSize: 2, maxSize: 3, instanceTypes: ["m7i.large", "m6i.large"] });
    expect(env.protect).toBe(false);
    expect(env.namePrefix).toBe("hm-dev");
    expect(env.cluster.logRetentionDays).toBe(7);
  });

  it("resolves prod's tier defaults: NAT per zone, three system nodes, protected, logs kept a year", () => {
    const env = loadEnvironment(base("prod"), "prod");
    expect(env.network).toMatchObject({ natGateways: "perAz", flowLogRetentionDays: 365 });
    expect(env.cluster.systemNodes.minSize).toBe(3);
    expect(env.protect).toBe(true);
    expect(env.cluster.logRetentionDays).toBe(365);
    expect(env.cluster.publicAccessCidrs).toEqual([]);
  });

  it("lets explicit values override tier defaults", () => {
    const env = loadEnvironment(
      with_({ natGateways: "perAz", systemNodeCount: "4", systemNodeMaxCount: "8", controlPlaneLogRetentionDays: "30", tags: '["team=x","a=b=c"]' }),
      "dev",
    );
    expect(env.network).toMatchObject({ natGateways: "perAz" });
    expect(env.cluster.systemNodes).toMatchObject({ minSize: 4, maxSize: 8 });
    expect(env.cluster.logRetentionDays).toBe(30);
    expect(env.tags).toEqual({ team: "x", a: "b=c" });
  });

  it("raises the tier's maximum when the minimum set exceeds it", () => {
    expect(loadEnvironment(with_({ systemNodeCount: "5" }), "dev").cluster.systemNodes).toMatchObject({ minSize: 5, maxSize: 5 });
  });

  it("resolves the Karpenter tier defaults: prod pools hold 250 GiB pods on amd64", () => {
    expect(loadEnvironment(base("prod"), "prod").karpenter).toMatchObject({
      largestPodMemoryGiB: 250,
      architectures: ["amd64"],
      maxNodeMemoryGiB: 1024,
      highMemoryLimits: { cpu: 1536, memoryGiB: 12288 },
      generalLimits: { cpu: 512, memoryGiB: 2048 },
      hugePagesGiB: { spot: 0, onDemand: 0 },
    });
    expect(loadEnvironment(with_({ highMemoryArm64: "true" }), "dev").karpenter.architectures).toEqual(["amd64", "arm64"]);
  });

  it("replicates prod's bucket to us-east-1 and eu-west-1 by default, dev's nowhere, and [] means none", () => {
    expect(loadEnvironment(base("prod"), "prod").buckets.replicaRegions).toEqual(["us-east-1", "eu-west-1"]);
    expect(loadEnvironment(base("dev"), "dev").buckets.replicaRegions).toEqual([]);
    expect(loadEnvironment({ ...base("prod"), "aws:region": "us-east-1" }, "prod").buckets.replicaRegions).toEqual(["eu-west-1", "us-west-2"]);
    expect(loadEnvironment(with_({ bucketReplicaRegions: "[]" }, "prod"), "prod").buckets.replicaRegions).toEqual([]);
  });

  it("lets explicit snapshot schedule and retention override the tier's", () => {
    const explicit = loadEnvironment(with_({ volumeSnapshotHours: "12", volumeSnapshotRetention: "14" }), "dev").storage;
    expect([explicit.snapshotHours, explicit.snapshotRetentionCount]).toEqual([12, 14]);
  });

  it("adopts an existing VPC", () => {
    const env = loadEnvironment(
      with_({ existingVpcId: "vpc-0a1b2c3d4e5f67890", existingPrivateSubnetIds: '["subnet-0a1b2c3d4e5f67891","subnet-0a1b2c3d4e5f67892"]' }),
      "dev",
    );
    expect(env.network).toEqual({
      kind: "existing",
      vpcId: "vpc-0a1b2c3d4e5f67890",
      privateSubnetIds: ["subnet-0a1b2c3d4e5f67891", "subnet-0a1b2c3d4e5f67892"],
      publicSubnetIds: [],
    });
  });
});

// [description, raw config, key path in the message, expected value shown (or null), what the message says is allowed]
const MALFORMED: [string, Record<string, string>, string, unknown, RegExp][] = [
  ["missing tier", { "aws:region": "us-west-2" }, `${P}:tier`, null, /is required/],
  ["unknown tier", with_({ tier: "production" }), `${P}:tier`, "production", /one of: dev, staging, prod/],
  ["misspelt key", with_({ vpcCdir: "10.0.0.0/16" }), `${P}:vpcCdir`, null, /did you mean "highmem-platform:vpcCidr"/],
  ["singular of a key", with_({ natGateway: "single" }), `${P}:natGateway`, null, /did you mean "highmem-platform:natGateways"/],
  ["missing region", { [`${P}:tier`]: "dev" }, "aws:region", null, /is required/],
  ["malformed region", { ...base(), "aws:region": "us-west" }, "aws:region", "us-west", /AWS region such as us-west-2/],
  ["VPC larger than /16", with_({ vpcCidr: "10.0.0.0/8" }), `${P}:vpcCidr`, "10.0.0.0/8", /from \/16/],
  ["CIDR with host bits", with_({ vpcCidr: "10.0.1.0/16" }), `${P}:vpcCidr`, "10.0.1.0/16", /no host bits/],
  ["CIDR that is not one", with_({ vpcCidr: "banana" }), `${P}:vpcCidr`, "banana", /IPv4 CIDR block/],
  ["two zones", with_({ availabilityZones: '["us-west-2a","us-west-2b"]' }), `${P}:availabilityZones`, ["us-west-2a", "us-west-2b"], /exactly 3/],
  [
    "zone of another region",
    with_({ availabilityZones: '["us-west-2a","us-west-2b","us-east-1a"]' }),
    `${P}:availabilityZones`,
    ["us-west-2a", "us-west-2b", "us-east-1a"],
    /region us-west-2; not: us-east-1a/,
  ],
  [
    "repeated zone",
    with_({ availabilityZones: '["us-west-2a","us-west-2a","us-west-2b"]' }),
    `${P}:availabilityZones`,
    ["us-west-2a", "us-west-2a", "us-west-2b"],
    /more than once/,
  ],
  ["unknown NAT mode", with_({ natGateways: "perZone" }), `${P}:natGateways`, "perZone", /one of: auto, single, perAz/],
  ["malformed VPC id", with_({ existingVpcId: "vpc-xyz" }), `${P}:existingVpcId`, "vpc-xyz", /VPC id such as vpc-/],
  [
    "existing VPC with one subnet",
    with_({ existingVpcId: "vpc-0a1b2c3d4e5f67890", existingPrivateSubnetIds: '["subnet-0a1b2c3d4e5f67891"]' }),
    `${P}:existingPrivateSubnetIds`,
    ["subnet-0a1b2c3d4e5f67891"],
    /2 or 3 private subnets/,
  ],
  [
    "subnets without existingVpcId",
    with_({ existingPrivateSubnetIds: '["subnet-0a1b2c3d4e5f67891","subnet-0a1b2c3d4e5f67892"]' }),
    `${P}:existingPrivateSubnetIds`,
    ["subnet-0a1b2c3d4e5f67891", "subnet-0a1b2c3d4e5f67892"],
    /only applies together with existingVpcId/,
  ],
  ["unsupported Kubernetes version", with_({ kubernetesVersion: "1.20" }), `${P}:kubernetesVersion`, "1.20", /one of: 1\.33, 1\.34/],
  [
    "admin that is a user, not a role",
    with_({ clusterAdminRoleArns: '["arn:aws:iam::123456789012:user/alice"]' }),
    `${P}:clusterAdminRoleArns[0]`,
    "arn:aws:iam::123456789012:user/alice",
    /IAM role ARN/,
  ],
  ["API open to the internet", with_({ clusterPublicAccessCidrs: '["0.0.0.0/0"]' }), `${P}:clusterPublicAccessCidrs[0]`, "0.0.0.0/0", /whole internet/],
  ["CIDR list given as a string", with_({ clusterPublicAccessCidrs: "203.0.113.0/24" }), `${P}:clusterPublicAccessCidrs`, "203.0.113.0/24", /must be a list/],
  ["node count in words", with_({ systemNodeCount: "two" }), `${P}:systemNodeCount`, "two", /whole number/],
  ["a single system node in prod", with_({ systemNodeCount: "1" }, "prod"), `${P}:systemNodeCount`, 1, /at least 2 in prod/],
  ["maximum below minimum", with_({ systemNodeCount: "4", systemNodeMaxCount: "3" }), `${P}:systemNodeMaxCount`, 3, /at least systemNodeCount \(4\)/],
  ["tiny root volume", with_({ systemNodeDiskGiB: "10" }), `${P}:systemNodeDiskGiB`, 10, /at least 20/],
  [
    "retention CloudWatch does not offer",
    with_({ controlPlaneLogRetentionDays: "8" }),
    `${P}:controlPlaneLogRetentionDays`,
    8,
    /CloudWatch retention periods: 1, 3, 5, 7/,
  ],
  // The tampering of the issue: logs kept a day. Each tier has a minimum, the policy pack's own table.
  [
    "control-plane logs kept under prod's minimum",
    with_({ controlPlaneLogRetentionDays: "90" }, "prod"),
    `${P}:controlPlaneLogRetentionDays`,
    90,
    /is under the prod minimum of 365 days .*: must be one of 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, or 0 for the tier default \(365\)/,
  ],
  [
    "flow logs kept a day in dev",
    with_({ flowLogRetentionDays: "1" }),
    `${P}:flowLogRetentionDays`,
    1,
    /under the dev minimum of 7 days .*: must be one of 7, 14, 30/,
  ],
  [
    "flow logs kept under staging's minimum",
    with_({ flowLogRetentionDays: "14" }, "staging"),
    `${P}:flowLogRetentionDays`,
    14,
    /under the staging minimum of 30 days/,
  ],
  [
    "flow log retention CloudWatch does not offer",
    with_({ flowLogRetentionDays: "100" }),
    `${P}:flowLogRetentionDays`,
    100,
    /CloudWatch retention periods: 1, 3, 5, 7/,
  ],
  [
    "flow logs for a VPC the stack does not create",
    with_({
      existingVpcId: "vpc-0a1b2c3d4e5f67890",
      existingPrivateSubnetIds: '["subnet-0a1b2c3d4e5f67891","subnet-0a1b2c3d4e5f67892"]',
      flowLogRetentionDays: "365",
    }),
    `${P}:flowLogRetentionDays`,
    365,
    /only applies to a VPC the stack creates/,
  ],
  ["tag without a value", with_({ tags: '["team"]' }), `${P}:tags[0]`, "team", /"key=value" tag/],
  [
    "an image registry list without the platform's own",
    with_({ imageRegistries: '["registry.example.com"]' }),
    `${P}:imageRegistries`,
    ["registry.example.com"],
    /must keep the platform's own registries .*missing docker\.io\/valkey/,
  ],
  ["an image registry entry that is no registry host", with_({ imageRegistries: '["valkey"]' }), `${P}:imageRegistries[0]`, "valkey", /registry host/],
  ["tag in the aws: namespace", with_({ tags: '["aws:owner=me"]' }), `${P}:tags[0]`, "aws:owner=me", /not starting with aws:/],
  ["repeated tag key", with_({ tags: '["team=a","team=b"]' }), `${P}:tags[1]`, "team=b", /repeats tag key "team"/],
  ["tag the platform manages", with_({ tags: '["kubernetes.io/role/elb=1"]' }), `${P}:tags[0]`, "kubernetes.io/role/elb=1", /managed by the platform/],
  [
    "pod larger than any allowed node",
    with_({ largestPodMemoryGiB: "2000" }),
    `${P}:largestPodMemoryGiB`,
    2000,
    /0 instance types .* fit a 2000 GiB pod; 15 are needed for spot-to-spot consolidation: allow arm64, raise the largest node size/,
  ],
  [
    "pool limit below the smallest node",
    with_({ highMemoryPoolMemoryLimitGiB: "100" }),
    `${P}:highMemoryPoolMemoryLimitGiB`,
    100,
    /at least 128 GiB: the smallest node that holds a 100 GiB pod/,
  ],
  [
    "huge pages that leave too few types",
    with_({ highMemorySpotHugePagesGiB: "900" }, "prod"),
    `${P}:highMemorySpotHugePagesGiB`,
    900,
    /900 GiB huge pages\) fit a 250 GiB pod/,
  ],
  ["arm64 switch that is not a boolean", with_({ highMemoryArm64: "yes" }), `${P}:highMemoryArm64`, "yes", /true or false/],
  [
    "throughput gp3 cannot give at its IOPS",
    with_({ gp3HighIops: "4000", gp3HighIopsThroughputMiBps: "2000" }),
    `${P}:gp3HighIopsThroughputMiBps`,
    2000,
    /needs at least 8000 IOPS \(gp3 allows 0.25 MiB\/s per IOPS\); 4000 are set/,
  ],
  ["IOPS above gp3's maximum", with_({ gp3HighIops: "90000" }), `${P}:gp3HighIops`, 90000, /at most 80000/],
  ["snapshot interval DLM does not offer", with_({ volumeSnapshotHours: "5" }), `${P}:volumeSnapshotHours`, 5, /one of 1, 2, 3, 4, 6, 8, 12, 24/],
  [
    "more replica regions than a DLM schedule copies to",
    with_({ bucketReplicaRegions: '["us-east-1","eu-west-1","eu-central-1","ap-southeast-2"]' }, "prod"),
    `${P}:bucketReplicaRegions`,
    ["us-east-1", "eu-west-1", "eu-central-1", "ap-southeast-2"],
    /at most 3 regions: every volume snapshot is copied/,
  ],
  ["snapshot retention above DLM's 1,000", with_({ volumeSnapshotRetention: "1001" }), `${P}:volumeSnapshotRetention`, 1001, /at most 1000/],
  ["fewer than three Redis masters", with_({ redisMasters: "2" }), `${P}:redisMasters`, 2, /at least 3 \(Redis Cluster needs 3 masters to fail one over\)/],
  [
    "Redis volume too small for its AOF",
    with_({ redisMemoryGiB: "32", redisStorageGiB: "30" }),
    `${P}:redisStorageGiB`,
    30,
    /at least 39 GiB for 32 GiB Redis containers/,
  ],
  ["Redis on a storage class that does not exist", with_({ redisStorageClass: "io2" }), `${P}:redisStorageClass`, "io2", /one of: gp3, gp3-high-iops/],
  [
    "replica in the stack's own region",
    with_({ bucketReplicaRegions: '["us-west-2"]' }),
    `${P}:bucketReplicaRegions`,
    ["us-west-2"],
    /"us-west-2" is the source's own region/,
  ],
  [
    "replica in an unknown region",
    with_({ bucketReplicaRegions: '["xx-nowhere-9"]' }),
    `${P}:bucketReplicaRegions`,
    ["xx-nowhere-9"],
    /"xx-nowhere-9" is not a region this component knows/,
  ],
  [
    "replica region twice",
    with_({ bucketReplicaRegions: '["us-east-1","us-east-1"]' }),
    `${P}:bucketReplicaRegions`,
    ["us-east-1", "us-east-1"],
    /more than once/,
  ],
  ["snapshots kept zero days", with_({ snapshotRetentionDays: "0" }), `${P}:snapshotRetentionDays`, 0, /at least 1/],
  ["Slack webhook that is not one", with_({ alertSlackWebhookUrl: "http://example.com/hook" }), `${P}:alertSlackWebhookUrl`, "[secret]", /a Slack webhook URL/],
  [
    "PagerDuty key of the wrong length",
    with_({ alertPagerDutyRoutingKey: "abc123" }),
    `${P}:alertPagerDutyRoutingKey`,
    "[secret]",
    /32-character PagerDuty routing key/,
  ],
  [
    "key in a misspelt project namespace",
    { ...base(), "highmem:redisMemoryGiB": "8" },
    "highmem:redisMemoryGiB",
    null,
    /namespace "highmem" is not this project's .*did you mean "highmem-platform:redisMemoryGiB"/,
  ],
  [
    "key in a namespace with a typo",
    { ...base(), "highmem-platfrom:redisMemoryGib": "8" },
    "highmem-platfrom:redisMemoryGib",
    null,
    /did you mean "highmem-platform:redisMemoryGiB"/,
  ],
  [
    "node pool of an unknown kind",
    with_({ nodePools: '["gpu=accelerated"]' }),
    `${P}:nodePools[0]`,
    "gpu=accelerated",
    /kind "accelerated" is not one of: high-memory-spot, high-memory-on-demand, stateful, general/,
  ],
  [
    "node pool named like a platform pool",
    with_({ nodePools: '["stateful=general"]' }),
    `${P}:nodePools[0]`,
    "stateful=general",
    /pool name "stateful" is taken/,
  ],
  [
    "node pool taint with an unknown effect",
    with_({ nodePools: '["nvme=stateful,taint=disk=nvme:Never"]' }),
    `${P}:nodePools[0]`,
    "nvme=stateful,taint=disk=nvme:Never",
    /effect one of NoSchedule, PreferNoSchedule, NoExecute/,
  ],
  [
    "node pool setting the role label",
    with_({ nodePools: '["nvme=stateful,label=workload-type=gpu"]' }),
    `${P}:nodePools[0]`,
    "nvme=stateful,label=workload-type=gpu",
    /label "workload-type" is set by the platform/,
  ],
  [
    "node pool with a zero limit",
    with_({ nodePools: '["batch=general,cpu=0"]' }),
    `${P}:nodePools[0]`,
    "batch=general,cpu=0",
    /limits .*must set positive cpu and memoryGiB/,
  ],
  ["name prefix with capitals", with_({ namePrefix: "Bad_Name" }), `${P}:namePrefix`, "Bad_Name", /lowercase letters, digits and hyphens/],
];

describe("malformed config is refused with a message naming the key, the value and what is allowed", () => {
  it(`covers at least 20 cases (${MALFORMED.length})`, () => expect(MALFORMED.length).toBeGreaterThanOrEqual(20));

  it.each(MALFORMED)("%s", (_name, raw, key, value, allowed) => {
    const error = problemsOf(raw);
    const problem = error.problems.find((p) => p.key === key);
    expect(problem, `no problem reported for ${key}; got ${error.message}`).toBeDefined();
    if (value !== null) expect(problem!.value).toEqual(value);
    expect(problem!.message).toMatch(allowed);
    expect(error.message).toContain(key);
    expect(error.message).toContain("no resources were declared");
  });

  it("reports every problem at once, not only the first", () => {
    const error = problemsOf(with_({ tier: "qa", natGateways: "many", systemNodeCount: "x" }));
    expect(error.problems.map((p) => p.key)).toEqual([`${P}:tier`, `${P}:natGateways`, `${P}:systemNodeCount`]);
  });
});

describe("secret keys", () => {
  const slack = "https://hooks.slack.com/services/T0/B0/abc";
  afterEach(() => pulumi.runtime.setAllConfig({}, []));

  it("accepts a secret receiver whose value is secret, and passes it on", () => {
    const env = loadEnvironment(with_({ alertSlackWebhookUrl: slack }), "dev", secretInStack);
    expect(env.monitoring.receivers).toEqual({ slackWebhookUrl: slack });
  });

  it("refuses a secret key stored in plaintext, naming `pulumi config set --secret` and never the value", () => {
    const error = problemsOf(with_({ alertSlackWebhookUrl: slack }), "test", { isSecret: () => false });
    expect(error.problems).toEqual([
      {
        key: `${P}:alertSlackWebhookUrl`,
        value: "[secret]",
        message:
          "must be a secret, and this value is stored in plaintext in the stack file: set it with `pulumi config set --secret alertSlackWebhookUrl <value>`",
      },
    ]);
    expect(error.message).not.toContain(slack);
  });

  it("asks the Pulumi runtime which values are secret when the caller does not say (as under `pulumi up`)", () => {
    const raw = with_({ alertSlackWebhookUrl: slack });
    pulumi.runtime.setAllConfig(raw, []);
    expect(() => loadEnvironment(raw, "dev")).toThrow(/pulumi config set --secret alertSlackWebhookUrl/);
    pulumi.runtime.setAllConfig(raw, [`${P}:alertSlackWebhookUrl`]);
    expect(loadEnvironment(raw, "dev").monitoring.receivers).toEqual({ slackWebhookUrl: slack });
  });

  it("masks any value that is secret in the stack, secret key or not", () => {
    const error = problemsOf(with_({ namePrefix: "Bad_Name" }), "test", { isSecret: (key) => key === `${P}:namePrefix` });
    expect(error.problems).toEqual([expect.objectContaining({ key: `${P}:namePrefix`, value: "[secret]" })]);
  });

  it("leaves other packages' namespaces alone", () => {
    expect(() => loadEnvironment({ ...base(), "aws:profile": "ops", "kubernetes:context": "x" }, "dev", secretInStack)).not.toThrow();
  });
});
