/**
 * The offline preview reads a stack's config as the Pulumi CLI does (issue 12): stack files of each
 * shape, next to a copy of the real Pulumi.yaml.
 */
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { previewStack } from "../../tools/preview/run";
import { encryptValue, INCORRECT_PASSPHRASE, newEncryptionSalt } from "../../tools/preview/passphrase";
import { loadStackConfig, StackFileError, uncheckedSecretsNotice } from "../../tools/preview/stack-file";
import { configsUnderTest } from "../support/stack-configs";

const ROOT = join(__dirname, "..", "..");
const P = "highmem-platform";
const SLACK = "https://hooks.slack.com/services/T0AAA/B0BBB/xyzSecretPart";
const PASSPHRASE = "correct horse battery staple";

function projectWith(lines: string[]): string {
  const root = mkdtempSync(join(tmpdir(), "hm-config-"));
  copyFileSync(join(ROOT, "Pulumi.yaml"), join(root, "Pulumi.yaml"));
  mkdirSync(join(root, "stacks"));
  writeFileSync(join(root, "stacks", "Pulumi.bad.yaml"), lines.join("\n") + "\n");
  return root;
}
// As stacks/Pulumi.dev.yaml: a public API endpoint limited to a documentation range.
const devStack = (...extra: string[]) => [
  "config:",
  "  aws:region: us-west-2",
  `  ${P}:tier: dev`,
  `  ${P}:clusterPublicAccessCidrs: [203.0.113.0/24]`,
  ...extra,
];

/** A passphrase stack whose Slack receiver is `url`, encrypted as `pulumi config set --secret` would. */
let encrypted: (url: string) => string[];
beforeAll(() => {
  const { encryptionSalt, key } = newEncryptionSalt(PASSPHRASE);
  encrypted = (url) => [`encryptionsalt: ${encryptionSalt}`, ...devStack(`  ${P}:alertSlackWebhookUrl:`, `    secure: ${encryptValue(key, url)}`)];
});
afterEach(() => vi.unstubAllEnvs());
function withoutPassphrase(): void {
  vi.stubEnv("PULUMI_CONFIG_PASSPHRASE", undefined);
  vi.stubEnv("PULUMI_CONFIG_PASSPHRASE_FILE", undefined);
}

describe("every stack file present, and the generated configs", () => {
  it.each(configsUnderTest())("$label passes every check the Pulumi CLI makes before running the program", (c) => {
    const config = loadStackConfig(c.root, c.stack);
    expect(config.problems).toEqual([]);
    expect(config.config[`${P}:tier`]).toMatch(/^(dev|staging|prod)$/);
  });
});

describe("secret keys", () => {
  it("refuses a plaintext value for a secret key, naming `pulumi config set --secret`, never the value", async () => {
    withoutPassphrase();
    const { plan } = await previewStack("bad", { root: projectWith(devStack(`  ${P}:alertSlackWebhookUrl: ${SLACK}`)) });
    expect(plan.configErrors).toEqual([
      { key: `${P}:alertSlackWebhookUrl`, value: "[secret]", message: expect.stringContaining("`pulumi config set --secret alertSlackWebhookUrl <value>`") },
    ]);
    expect(JSON.stringify(plan)).not.toContain("xyzSecretPart");
  });

  it("accepts an encrypted value without the passphrase as an opaque secret, and reports it as unchecked", async () => {
    withoutPassphrase();
    const root = projectWith(encrypted(SLACK));
    const config = loadStackConfig(root, "bad");
    expect(config.problems).toEqual([]);
    expect(config.uncheckedSecrets).toEqual([`${P}:alertSlackWebhookUrl`]);
    expect(config.secretKeys).toEqual([`${P}:alertSlackWebhookUrl`]);
    expect(uncheckedSecretsNotice(config)).toMatch(/^1 secret config value was not checked .*: highmem-platform:alertSlackWebhookUrl$/);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    const { plan } = await previewStack("bad", { root });
    expect(plan.configErrors).toEqual([]);
    expect(warn).toHaveBeenCalledWith(uncheckedSecretsNotice(config));
    warn.mockRestore();
    expect({ violations: plan.violations.filter((v) => v.enforcementLevel === "mandatory"), schemaErrors: plan.schemaErrors }).toEqual({
      violations: [],
      schemaErrors: [],
    });
    // The receiver is configured in the plan, as it will be for real.
    expect(JSON.stringify(plan.resources)).toContain("slack-webhook-url");
  });

  it("decrypts with the passphrase and refuses a malformed URL, naming the key and showing [secret]", async () => {
    vi.stubEnv("PULUMI_CONFIG_PASSPHRASE", PASSPHRASE);
    const root = projectWith(encrypted("http://example.com/xyzSecretPart"));
    expect(loadStackConfig(root, "bad").uncheckedSecrets).toEqual([]);
    const { plan } = await previewStack("bad", { root });
    expect(plan.configErrors).toEqual([{ key: `${P}:alertSlackWebhookUrl`, value: "[secret]", message: expect.stringMatching(/Slack webhook URL/) }]);
    expect(JSON.stringify(plan)).not.toContain("xyzSecretPart");
  });

  it("decrypts with the passphrase (from PULUMI_CONFIG_PASSPHRASE_FILE too) and accepts a valid URL", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "hm-pass-")), "phrase");
    writeFileSync(file, `${PASSPHRASE}\n`);
    vi.stubEnv("PULUMI_CONFIG_PASSPHRASE", undefined);
    vi.stubEnv("PULUMI_CONFIG_PASSPHRASE_FILE", file);
    const root = projectWith(encrypted(SLACK));
    const config = loadStackConfig(root, "bad");
    expect(config.config[`${P}:alertSlackWebhookUrl`]).toBe(SLACK);
    expect(config.uncheckedSecrets).toEqual([]);
    const { plan } = await previewStack("bad", { root });
    expect(plan.configErrors).toEqual([]);
    expect(JSON.stringify(plan)).not.toContain("xyzSecretPart");
  });

  it("stops with the CLI's message when the passphrase is wrong", async () => {
    vi.stubEnv("PULUMI_CONFIG_PASSPHRASE", "wrong horse");
    const root = projectWith(encrypted(SLACK));
    await expect(previewStack("bad", { root })).rejects.toThrow(new StackFileError(`stacks/Pulumi.bad.yaml: ${INCORRECT_PASSPHRASE}`));
  });

  it("refuses an encrypted value it cannot decrypt for a key the plan depends on", async () => {
    withoutPassphrase();
    const { plan } = await previewStack("bad", { root: projectWith(devStack(`  ${P}:namePrefix:`, "    secure: v1:AAAAAAAAAAAAAAAA:AAAA")) });
    expect(plan.configErrors).toEqual([
      {
        key: `${P}:namePrefix`,
        value: "[secret]",
        message: expect.stringMatching(/cannot decrypt it .*this key is not secret: store it in plaintext, or provide the passphrase/),
      },
    ]);
  });
});

describe("what the CLI refuses before the program runs", () => {
  it("a missing required key (tier), with the CLI's message", async () => {
    const { plan } = await previewStack("bad", { root: projectWith(["config:", "  aws:region: us-west-2"]) });
    expect(plan.configErrors).toEqual([{ key: `${P}:tier`, message: "validating stack config: Stack 'bad' is missing configuration value 'tier'" }]);
    expect(plan.resources).toEqual([]);
  });

  it("a value that is not of its declared type", async () => {
    const { plan } = await previewStack("bad", {
      root: projectWith(devStack(`  ${P}:systemNodeCount: abc`, `  ${P}:availabilityZones: us-west-2a`, `  ${P}:tags: [3]`)),
    });
    expect(plan.configErrors).toEqual([
      {
        key: `${P}:availabilityZones`,
        value: "us-west-2a",
        message: "validating stack config: Stack 'bad' with configuration key 'availabilityZones' must be of type 'array<string>'",
      },
      {
        key: `${P}:systemNodeCount`,
        value: "abc",
        message: "validating stack config: Stack 'bad' with configuration key 'systemNodeCount' must be of type 'integer'",
      },
      { key: `${P}:tags`, value: [3], message: "validating stack config: Stack 'bad' with configuration key 'tags' must be of type 'array<string>'" },
    ]);
  });

  it("accepts what the CLI accepts: unnamespaced keys, a signed integer, YAML booleans and numbers", () => {
    const config = loadStackConfig(
      projectWith(["config:", "  aws:region: us-west-2", "  tier: dev", '  systemNodeCount: "+4"', "  highMemoryArm64: true", "  redisMasters: 5"]),
      "bad",
    );
    expect(config.problems).toEqual([]);
    expect(config.config).toMatchObject({
      [`${P}:tier`]: "dev",
      [`${P}:systemNodeCount`]: "+4",
      [`${P}:highMemoryArm64`]: "true",
      [`${P}:redisMasters`]: "5",
      [`${P}:tags`]: "[]",
      [`${P}:vpcCidr`]: "10.0.0.0/16",
    });
  });
});

describe("keys in a namespace that looks like a typo of the project's", () => {
  it("are refused, naming the key that was meant", async () => {
    const { plan } = await previewStack("bad", { root: projectWith(devStack("  highmem:redisMemoryGiB: 8")) });
    expect(plan.configErrors).toEqual([{ key: "highmem:redisMemoryGiB", message: expect.stringContaining('did you mean "highmem-platform:redisMemoryGiB"?') }]);
  });
});
