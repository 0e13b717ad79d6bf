/** The teams key: valid teams resolve with their defaults; bad ones are refused naming the key path, the value and what is allowed. */
import { describe, expect, it } from "vitest";
import { ConfigError, loadEnvironment } from "../../stacks/config/load";
import { TEAM_FIELD_DEFAULTS } from "../../stacks/config/keys/teams";

const P = "highmem-platform";
const ADMIN = "arn:aws:iam::123456789012:role/platform-admin";
const ROLE = "arn:aws:iam::123456789012:role/analysts";
const raw = (teams: unknown[], extra: Record<string, string> = {}): Record<string, string> => ({
  "aws:region": "us-west-2",
  [`${P}:tier`]: "dev",
  [`${P}:clusterPublicAccessCidrs`]: '["203.0.113.0/24"]',
  [`${P}:clusterAdminRoleArns`]: JSON.stringify([ADMIN]),
  [`${P}:teams`]: JSON.stringify(teams),
  ...extra,
});
const analytics = { name: "analytics", memoryGiB: 512, cpu: 64 };

function problems(teams: unknown[]): { key: string; value?: unknown; message: string }[] {
  try {
    loadEnvironment(raw(teams), "test");
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.filter((p) => p.key.startsWith(`${P}:teams`));
  }
  throw new Error(`accepted: ${JSON.stringify(teams)}`);
}

describe("teams in config", () => {
  it("resolve with the documented defaults", () => {
    const [team] = loadEnvironment(raw([analytics]), "test").teams;
    expect(team).toEqual({
      ...analytics,
      storageGiB: TEAM_FIELD_DEFAULTS.storageGiB,
      hugePagesGiB: 0,
      pods: TEAM_FIELD_DEFAULTS.pods,
      accessRoleArns: [],
      viewRoleArns: [],
      dataAccess: [],
      datasetGiB: 0,
      allowRedis: false,
      serviceAccountName: "workloads",
      // <namePrefix>-<team>-workloads; the dev test stack's prefix is hm-<stack>.
      workloadRoleName: "hm-test-analytics-workloads",
    });
  });

  it("default to none", () => {
    const r = raw([]);
    delete r[`${P}:teams`];
    expect(loadEnvironment(r, "test").teams).toEqual([]);
  });

  it.each([
    [[{ ...analytics, name: "Analytics" }], `${P}:teams[0].name`, "Analytics", /must be a DNS label/],
    [[{ ...analytics, name: "monitoring" }], `${P}:teams[0].name`, "monitoring", /must not be one of the platform's namespaces: .*monitoring/],
    [[{ ...analytics, memoryGiB: 0 }], `${P}:teams[0].memoryGiB`, 0, /must be at least 1/],
    [[{ name: "analytics", cpu: 4 }], `${P}:teams[0].memoryGiB`, undefined, /must be a whole number/],
    [
      [{ ...analytics, colour: "blue" }],
      `${P}:teams[0]`,
      { ...analytics, colour: "blue" },
      /has unknown fields colour; a team's fields are name, memoryGiB, cpu/,
    ],
    [
      [{ ...analytics, accessRoleArns: ["arn:aws:iam::123456789012:user/bob"] }],
      `${P}:teams[0].accessRoleArns[0]`,
      "arn:aws:iam::123456789012:user/bob",
      /must be an IAM role ARN/,
    ],
    [
      [{ ...analytics, dataAccess: [{ prefix: "analytics/", access: "write" }] }],
      `${P}:teams[0].dataAccess[0].access`,
      "write",
      /must be one of: read, read-write/,
    ],
    [[{ ...analytics, dataAccess: [{ prefix: "/abs/", access: "read" }] }], `${P}:teams[0].dataAccess[0].prefix`, "/abs/", /must not start with '\/'/],
    [[{ ...analytics, dataAccess: [{ prefix: "analytics", access: "read" }] }], `${P}:teams[0].dataAccess[0].prefix`, "analytics", /must end with "\/"/],
    [[{ ...analytics, dataAccess: [{ prefix: "a*/", access: "read" }] }], `${P}:teams[0].dataAccess[0].prefix`, "a*/", /no '\*'/],
    [[{ ...analytics, allowRedis: "yes" }], `${P}:teams[0].allowRedis`, "yes", /must be true or false/],
  ])("refuses %j at %s", (teams, key, value, message) => {
    const found = problems(teams);
    expect(found.length, JSON.stringify(found)).toBeGreaterThan(0);
    expect(found[0]!.key).toBe(key);
    expect(found[0]!.value).toEqual(value);
    expect(found[0]!.message).toMatch(message);
  });

  it("refuses a second team of the same name, a role in two teams, and a team role that is an admin", () => {
    const found = problems([
      { ...analytics, accessRoleArns: [ROLE] },
      { ...analytics, viewRoleArns: [ROLE, ADMIN] },
    ]);
    expect(found).toEqual([
      { key: `${P}:teams[1].name`, value: "analytics", message: expect.stringMatching(/the name is taken by an earlier team/) },
      { key: `${P}:teams[1].viewRoleArns[0]`, value: ROLE, message: expect.stringMatching(/already has an access entry \(teams\[0\]\.accessRoleArns\[0\]/) },
      {
        key: `${P}:teams[1].viewRoleArns[1]`,
        value: ADMIN,
        message: expect.stringMatching(/already has an access entry \(clusterAdminRoleArns\); a principal can be in one access entry/),
      },
    ]);
  });

  it("refuses a team whose workload role name would pass IAM's 64 characters, naming the role", () => {
    const name = "t".repeat(50);
    expect(problems([{ ...analytics, name, dataAccess: [{ prefix: "a/", access: "read" }] }])).toEqual([
      {
        key: `${P}:teams[0].name`,
        value: name,
        message: expect.stringMatching(/workload role would be named hm-test-t+-workloads \(\d+ characters\); IAM role names are at most 64/),
      },
    ]);
    // Without data prefixes there is no role, so the name is fine.
    expect(() => loadEnvironment(raw([{ ...analytics, name }]), "test")).not.toThrow();
  });

  it("refuses a dataset claim larger than the team's storage, or too small for the high-IOPS class, and a prefix given twice", () => {
    expect(problems([{ ...analytics, storageGiB: 500, datasetGiB: 1024 }])).toEqual([
      { key: `${P}:teams[0].datasetGiB`, value: 1024, message: expect.stringMatching(/must fit the team's storage quota \(storageGiB = 500\)/) },
    ]);
    expect(problems([{ ...analytics, datasetGiB: 8 }])[0]).toMatchObject({
      key: `${P}:teams[0].datasetGiB`,
      value: 8,
      message: expect.stringMatching(/0 \(no claim\) or at least \d+ GiB on gp3-high-iops/),
    });
    expect(
      problems([
        {
          ...analytics,
          dataAccess: [
            { prefix: "a/", access: "read" },
            { prefix: "a/", access: "read-write" },
          ],
        },
      ]),
    ).toEqual([{ key: `${P}:teams[0].dataAccess[1].prefix`, value: "a/", message: expect.stringMatching(/listed twice/) }]);
  });
});
