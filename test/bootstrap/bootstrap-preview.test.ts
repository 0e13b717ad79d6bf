/**
 * The bootstrap program through the offline preview's own code path (previewStack with its
 * `program` option), its config validation, and the footprints it reads against the platform's
 * plans of today.
 */
import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import { previewStack, planFails } from "../../tools/preview/run";
import { BootstrapConfigError, parseBootstrapConfig } from "../../bootstrap/config";
import { FOOTPRINT_FILE, footprintFileText } from "../../bootstrap/footprint";
import { platformFootprints } from "../../bootstrap/preview-cli";
import { BOOTSTRAP_ROOT, bootstrapProgram } from "../../bootstrap/preview-program";

describe("bootstrap offline preview (previewStack with program: bootstrapProgram)", () => {
  it("declares the OIDC provider, two roles per platform stack, and the protected state bucket and key", async () => {
    const { plan } = await previewStack("main", { root: BOOTSTRAP_ROOT, program: bootstrapProgram });
    expect(plan.configErrors).toEqual([]);
    expect(planFails(plan)).toBe(false);
    const of = (type: string) => plan.resources.filter((r) => r.type === type);
    expect(of("aws:iam/openIdConnectProvider:OpenIdConnectProvider")).toHaveLength(1);
    const provider = of("aws:iam/openIdConnectProvider:OpenIdConnectProvider")[0]!;
    expect(provider.inputs["url"]).toBe("https://token.actions.githubusercontent.com");
    expect(provider.inputs["clientIdLists"]).toEqual(["sts.amazonaws.com"]);
    expect(provider.inputs["thumbprintLists"]).toBeUndefined();
    const roles = of("aws:iam/role:Role")
      .map((r) => r.inputs["name"])
      .sort();
    expect(roles).toEqual([
      "github-dev-deploy",
      "github-dev-preview",
      "github-prod-deploy",
      "github-prod-preview",
      "github-staging-deploy",
      "github-staging-preview",
    ]);
    for (const r of of("aws:iam/role:Role")) expect(r.inputs["path"]).toBe("/ci/");
    const prodDeploy = of("aws:iam/role:Role").find((r) => r.inputs["name"] === "github-prod-deploy")!;
    expect(String(prodDeploy.inputs["assumeRolePolicy"])).toContain('repo:example-org/highmem-platform:environment:prod"');
    const prodPreview = of("aws:iam/role:Role").find((r) => r.inputs["name"] === "github-prod-preview")!;
    expect(String(prodPreview.inputs["assumeRolePolicy"])).toContain('repo:example-org/highmem-platform:environment:preview-prod"');
    expect(of("aws:kms/key:Key")[0]).toMatchObject({ protect: true, inputs: { enableKeyRotation: true } });
    const state = of("aws:s3/bucket:Bucket").find((b) => b.inputs["bucket"] === "highmem-pulumi-state-123456789012")!;
    expect(state.protect).toBe(true);
    expect(of("aws:s3/bucketVersioning:BucketVersioning")).toHaveLength(2);
    expect(
      of("aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").some((e) => JSON.stringify(e.inputs).includes("aws:kms")),
    ).toBe(true);
    expect(of("aws:s3/bucketPolicy:BucketPolicy").every((p) => String(p.inputs["policy"]).includes("aws:SecureTransport"))).toBe(true);
    const roleOutputs = plan.outputs["roles"] as Record<string, Record<string, string>>;
    // The runtime mocks build a role's ARN from its name only; AWS puts the path (/ci/) in it.
    expect(roleOutputs["prod"]).toMatchObject({
      previewEnvironment: "preview-prod",
      AWS_PREVIEW_ROLE_ARN: expect.stringMatching(/^arn:aws:iam::123456789012:role\/(ci\/)?github-prod-preview$/),
      deployEnvironment: "prod",
      AWS_DEPLOY_ROLE_ARN: expect.stringMatching(/^arn:aws:iam::123456789012:role\/(ci\/)?github-prod-deploy$/),
    });
    const keyPolicy = String(of("aws:kms/key:Key")[0]!.inputs["policy"]);
    expect(keyPolicy).toMatch(/role\/(ci\/)?github-prod-deploy"/);
    expect(keyPolicy).toMatch(/role\/(ci\/)?github-prod-preview"/);
  });

  it("keeps platform-footprint.json in step with the platform's offline plans", async () => {
    // Regenerate with: npm run bootstrap:preview -- --write-footprint
    expect(readFileSync(FOOTPRINT_FILE, "utf8")).toBe(footprintFileText(await platformFootprints()));
  });
});

describe("bootstrap config", () => {
  const valid = {
    "aws:region": "us-west-2",
    "highmem-bootstrap:accountId": "123456789012",
    "highmem-bootstrap:githubOwner": "example-org",
    "highmem-bootstrap:githubRepo": "highmem-platform",
    "highmem-bootstrap:stateBucketName": "highmem-pulumi-state",
    "highmem-bootstrap:environments": JSON.stringify([{ stack: "prod", namePrefix: "hm-prod", regions: ["us-west-2"] }]),
  };
  const problems = (override: Record<string, string>) => {
    try {
      parseBootstrapConfig({ ...valid, ...override });
      return [];
    } catch (error) {
      if (error instanceof BootstrapConfigError) return error.problems.map((p) => p.key);
      throw error;
    }
  };

  it("accepts a valid config", () => expect(problems({})).toEqual([]));
  it.each([
    ["an account id that is not 12 digits", { "highmem-bootstrap:accountId": "12345" }, "accountId"],
    ["a repository owner with a slash", { "highmem-bootstrap:githubOwner": "org/repo" }, "githubOwner"],
    ["an uppercase bucket name", { "highmem-bootstrap:stateBucketName": "State" }, "stateBucketName"],
    ["a state bucket inside a stack's prefix", { "highmem-bootstrap:stateBucketName": "hm-prod-state" }, "stateBucketName"],
    ["no environments", { "highmem-bootstrap:environments": "[]" }, "environments"],
    [
      "an environment without regions",
      { "highmem-bootstrap:environments": JSON.stringify([{ stack: "prod", namePrefix: "hm-prod", regions: [] }]) },
      "environments[0].regions",
    ],
    [
      "a prefix inside another",
      {
        "highmem-bootstrap:environments": JSON.stringify([
          { stack: "prod", namePrefix: "hm", regions: ["us-west-2"] },
          { stack: "dev", namePrefix: "hm-dev", regions: ["us-west-2"] },
        ]),
      },
      "environments",
    ],
    [
      "an unknown environment key",
      { "highmem-bootstrap:environments": JSON.stringify([{ stack: "prod", namePrefix: "hm-prod", regions: ["us-west-2"], region: "x" }]) },
      "environments[0].region",
    ],
  ])("refuses %s, naming the key", (_case, override, key) => {
    expect(problems(override)).toContain(key);
  });

  it("refuses an environment that disagrees with the platform's plan, declaring nothing", () => {
    const errors = bootstrapProgram.checkConfig(
      { ...valid, "highmem-bootstrap:environments": JSON.stringify([{ stack: "prod", namePrefix: "hm-prod", regions: ["us-west-2"] }]) },
      "main",
      () => false,
    );
    expect(errors).toEqual([expect.objectContaining({ key: "environments[0].regions", message: expect.stringContaining("eu-west-1, us-east-1, us-west-2") })]);
  });
});
