/**
 * Pulumi.yaml, rendered from the config key registry so that the two cannot drift apart
 * (`npm run config:sync` writes it; a test fails when it is stale).
 */
import { stringify } from "yaml";
import { CONFIG_KEYS, PROJECT, declaredInProjectFile, type ConfigKeySpec } from "../../stacks/config/keys";

export function renderProjectFile(): string {
  const entries = Object.entries(CONFIG_KEYS) as [string, ConfigKeySpec][];
  const config = Object.fromEntries(
    entries.filter(([, spec]) => declaredInProjectFile(spec)).map(([key, spec]) => [
      key,
      {
        type: spec.type,
        ...(spec.type === "array" ? { items: { type: spec.items ?? "string" } } : {}),
        description: spec.description,
        // A declared secret never has a default: the CLI would apply it as plaintext and refuse it.
        ...(spec.secret ? { secret: true } : { ...("default" in spec ? { default: spec.default } : {}) }),
      },
    ]),
  );
  const undeclared = entries.filter(([, spec]) => !declaredInProjectFile(spec)).map(([key]) => key);
  const header = [
    "# Generated from stacks/config/keys.ts by `npm run config:sync`; edit the registry, not this file.",
    ...(undeclared.length > 0
      ? [
          `# Optional secret keys are not declared here: ${undeclared.join(", ")}.`,
          "# Set them with `pulumi config set --secret <key> <value>`. The Pulumi CLI applies a declared",
          "# default as plaintext and then refuses it for a `secret: true` key, and requires every declared",
          "# key that has no default; the program refuses a plaintext value for them instead.",
        ]
      : []),
  ].join("\n") + "\n";
  return header + stringify({
    name: PROJECT,
    description: "EKS platform for memory-hungry data workloads: Karpenter high-memory pools, gp3 storage, Redis, replicated S3, monitoring",
    runtime: { name: "nodejs", options: { packagemanager: "npm", typescript: true } },
    main: "stacks/index.ts",
    stackConfigDir: "stacks",
    config,
  }, { lineWidth: 0 });
}
