import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { planFails, previewStack } from "../../tools/preview/run";
import { StackFileError } from "../../tools/preview/stack-file";

/** A project folder with the real Pulumi.yaml and one stack file of the test's making. */
function projectWith(stackYaml: string): string {
  const root = mkdtempSync(join(tmpdir(), "hm-preview-"));
  copyFileSync(join(__dirname, "..", "..", "Pulumi.yaml"), join(root, "Pulumi.yaml"));
  mkdirSync(join(root, "stacks"));
  writeFileSync(join(root, "stacks", "Pulumi.bad.yaml"), stackYaml);
  return root;
}

describe("an invalid stack config", () => {
  it("declares no resource at all and fails the preview, listing each problem", async () => {
    const root = projectWith(
      [
        "config:",
        "  aws:region: us-west-2",
        "  highmem-platform:tier: prod",
        "  highmem-platform:natGateways: perZone",
        "  highmem-platform:clusterPublicAccessCidr: [203.0.113.0/24]",
      ].join("\n"),
    );
    const { plan } = await previewStack("bad", { root });
    expect(plan.resources).toEqual([]);
    expect(planFails(plan)).toBe(true);
    expect(plan.configErrors).toEqual([
      { key: "highmem-platform:clusterPublicAccessCidr", message: 'unknown key; did you mean "highmem-platform:clusterPublicAccessCidrs"?' },
      { key: "highmem-platform:natGateways", value: "perZone", message: "must be one of: auto, single, perAz" },
    ]);
  });

  it("refuses an encrypted value it cannot decrypt offline for a key whose value shapes the plan, showing no value", async () => {
    const root = projectWith(
      ["config:", "  aws:region: us-west-2", "  highmem-platform:tier: dev", "  highmem-platform:namePrefix:", "    secure: v1:AAAA"].join("\n"),
    );
    const { plan } = await previewStack("bad", { root });
    expect(plan.configErrors[0]).toMatchObject({ key: "highmem-platform:namePrefix", value: "[secret]" });
  });

  it("names the stacks that exist when asked for one that does not", async () => {
    const root = projectWith("config:\n  aws:region: us-west-2\n");
    writeFileSync(join(root, "stacks", "Pulumi.alpha.yaml"), "config: {}\n");
    writeFileSync(join(root, "stacks", "Pulumi.beta.yml"), "config: {}\n");
    writeFileSync(join(root, "stacks", "usage.alpha.yaml"), "{}\n");
    await expect(previewStack("nope", { root })).rejects.toThrow(
      new StackFileError("no stack file stacks/Pulumi.nope.yaml; stacks available: alpha, bad, beta"),
    );
  });
});
