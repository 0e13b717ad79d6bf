/**
 * The referenceWorkloads key: an entry resolves against its team (data prefix, quota) and the
 * high-memory pools (largest pod); a bad one is refused naming the key path, the value and what is
 * allowed. Values are derived from the config each test writes, not from the sample stacks.
 */
import { describe, expect, it } from "vitest";
import { ConfigError, loadEnvironment } from "../../stacks/config/load";
import { REFERENCE_WORKLOAD_DEFAULTS } from "../../stacks/config/keys/reference-workloads";

const P = "highmem-platform";
const team = {
  name: "analytics",
  memoryGiB: 1024,
  cpu: 128,
  dataAccess: [
    { prefix: "analytics/", access: "read-write" },
    { prefix: "reference/", access: "read" },
  ],
};
const raw = (workloads: unknown[], extra: Record<string, string> = {}, teams: unknown[] = [team]): Record<string, string> => ({
  "aws:region": "us-west-2",
  [`${P}:tier`]: "staging",
  [`${P}:clusterPrivateAccessCidrs`]: '["10.0.240.0/24"]',
  [`${P}:teams`]: JSON.stringify(teams),
  [`${P}:referenceWorkloads`]: JSON.stringify(workloads),
  ...extra,
});

function problems(workloads: unknown[], extra: Record<string, string> = {}, teams: unknown[] = [team]) {
  try {
    loadEnvironment(raw(workloads, extra, teams), "test");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.filter((p) => p.key.startsWith(`${P}:referenceWorkloads`));
  }
  throw new Error(`accepted: ${JSON.stringify(workloads)}`);
}

describe("referenceWorkloads in config", () => {
  it("is empty unless a stack asks", () => {
    const { [`${P}:referenceWorkloads`]: _, ...none } = raw([]);
    expect(loadEnvironment(none, "test").referenceWorkloads).toEqual([]);
  });

  it("resolves an entry with the documented defaults: the team's first prefix, and memory capped at the pools' largest pod", () => {
    const env = loadEnvironment(raw([{ name: "reference", team: "analytics" }]), "test");
    expect(env.referenceWorkloads).toEqual([
      {
        name: "reference",
        team: "analytics",
        prefix: "analytics/",
        kind: REFERENCE_WORKLOAD_DEFAULTS.kind,
        memoryGiB: Math.min(REFERENCE_WORKLOAD_DEFAULTS.memoryGiB, env.karpenter.largestPodMemoryGiB),
        cpu: REFERENCE_WORKLOAD_DEFAULTS.cpu,
        scratchGiB: REFERENCE_WORKLOAD_DEFAULTS.scratchGiB,
        replicas: REFERENCE_WORKLOAD_DEFAULTS.replicas,
      },
    ]);
    // A smaller largest pod lowers the default memory with it.
    const small = loadEnvironment(raw([{ name: "reference", team: "analytics" }], { [`${P}:largestPodMemoryGiB`]: "64" }), "test");
    expect(small.referenceWorkloads[0]!.memoryGiB).toBe(64);
  });

  it.each([
    [[{ name: "Reference", team: "analytics" }], "referenceWorkloads[0].name", "Reference", /must be a DNS label/],
    [[{ name: "r", team: "analytics", kind: "Deployment" }], "referenceWorkloads[0].kind", "Deployment", /must be Job or StatefulSet/],
    [[{ name: "r", team: "analytics", size: 3 }], "referenceWorkloads[0]", undefined, /has unknown fields size/],
    [[{ name: "r", team: "sales" }], "referenceWorkloads[0].team", "sales", /must be a team of the teams key \(analytics\)/],
    [
      [{ name: "r", team: "analytics", prefix: "other/" }],
      "referenceWorkloads[0].prefix",
      "other/",
      /must be one of team "analytics"'s dataAccess prefixes: analytics\/, reference\//,
    ],
    [[{ name: "r", team: "analytics", prefix: "other" }], "referenceWorkloads[0].prefix", "other", /must end with "\/"/],
    [[{ name: "r", team: "analytics", memoryGiB: 4000 }], "referenceWorkloads[0].memoryGiB", 4000, /the largest pod the high-memory pools are sized for/],
    [
      [{ name: "r", team: "analytics", cpu: 100, replicas: 2 }],
      "referenceWorkloads[0].cpu",
      100,
      /2 pod\(s\) of 100 CPU exceed team "analytics"'s CPU quota \(128\)/,
    ],
  ])("refuses %j at %s", (workloads, key, value, message) => {
    const found = problems(workloads);
    expect(found[0], JSON.stringify(found)).toMatchObject({ key: `${P}:${key}`, message: expect.stringMatching(message) });
    if (value !== undefined) expect(found[0]!.value).toEqual(value);
  });

  it("refuses pods the team's memory quota cannot hold, and a team without data prefixes", () => {
    expect(problems([{ name: "r", team: "analytics", memoryGiB: 200, replicas: 6 }])).toEqual([
      {
        key: `${P}:referenceWorkloads[0].memoryGiB`,
        value: 200,
        message: expect.stringMatching(/6 pod\(s\) of 200 GiB exceed team "analytics"'s memory quota \(1024 GiB\)/),
      },
    ]);
    expect(problems([{ name: "r", team: "ml" }], {}, [team, { name: "ml", memoryGiB: 512, cpu: 64 }])).toEqual([
      { key: `${P}:referenceWorkloads[0].team`, value: "ml", message: expect.stringMatching(/team "ml" has no dataAccess prefixes/) },
    ]);
  });
});
