/**
 * Pulumi.yaml, rendered from the config key registry so that the two cannot drift apart
 * (`npm run config:sync` writes it; a test fails when it is stale).
 */
import { stringify } from "yaml";
import { CONFIG_KEYS, PROJECT } from "../../stacks/config/keys";

export function renderProjectFile(): string {
  const config = Object.fromEntries(
    Object.entries(CONFIG_KEYS).map(([key, spec]) => [
      key,
      {
        type: spec.type,
        ...(spec.type === "array" ? { items: { type: "string" } } : {}),
        description: spec.description,
        ...("secret" in spec && spec.secret ? { secret: true } : {}),
        ...("default" in spec ? { default: spec.default } : {}),
      },
    ]),
  );
  const header = "# Generated from stacks/config/keys.ts by `npm run config:sync`; edit the registry, not this file.\n";
  return header + stringify({
    name: PROJECT,
    description: "EKS platform for memory-hungry data workloads: Karpenter high-memory pools, gp3 storage, Redis, replicated S3, monitoring",
    runtime: { name: "nodejs", options: { packagemanager: "npm", typescript: true } },
    main: "stacks/index.ts",
    stackConfigDir: "stacks",
    config,
  }, { lineWidth: 0 });
}
