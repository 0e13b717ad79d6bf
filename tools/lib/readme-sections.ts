/**
 * README sections generated from code, so that they cannot go stale: the config reference (from the
 * key registry) and, per environment, the instance types each high-memory pool may launch and why.
 * `npm run docs:sync` rewrites them between their markers; a test fails when they differ.
 */
import { allocatableForPodsMiB, PRICE_REFERENCE_REGION, pricePerGiB } from "../../components/internal";
import { INSTANCE_DATA_DATE, INSTANCE_DATA_SOURCE, INSTANCE_TYPES } from "../../components/internal";
import { DAEMONSET_MEMORY_MIB, highMemoryTypes } from "../../components/internal";
import { buildPool, POOL_KIND_REGISTRY, POOL_KINDS, POOL_ROLE_LABEL } from "../../components/internal";
import { CONFIG_KEYS, type ConfigKeySpec } from "../../stacks/config/keys";
import { loadEnvironment } from "../../stacks/config/load";
import { loadStackConfig } from "../preview/stack-file";
import { RULES } from "../../policies/rules";
import { CONTROL_FAMILIES, sourceLabel, STANDARDS } from "../../policies/rules/types";
import { platformRuleGroups, type AlertRule } from "../../components/internal";
import { DASHBOARDS } from "../../components/internal";

export function renderMonitoring(): string {
  // With one backup CronJob, as every stack has (the Redis backup), so that BackupTooOld is listed too.
  const alerts = platformRuleGroups(undefined, [{ namespace: "data", name: "redis-backup", schedule: "0 3 * * *" }])
    .flatMap((g) => g.rules)
    .filter((r): r is AlertRule => "alert" in r);
  return [
    "| Alert | Severity | For | What it means |",
    "| --- | --- | --- | --- |",
    ...alerts.map((a) => `| \`${a.alert}\` | ${a.labels.severity} | ${a.for} | ${a.annotations.description.replace(/\{\{[^}]*\}\}/g, "…").replace(/\|/g, "\\|")} |`),
    "",
    "| Dashboard | The question it answers | Panels |",
    "| --- | --- | --- |",
    ...DASHBOARDS.map((d) => `| ${d.title} | ${d.description} | ${d.panels.map((p) => p.title).join("; ")} |`),
    "",
  ].join("\n");
}

export function renderPolicyRules(): string {
  const cited = [...new Set(RULES.flatMap((r) => r.sources.map((s) => s.standard)))];
  return [
    `${RULES.length} rules (${RULES.filter((r) => r.enforcementLevel === "mandatory").length} mandatory), by control family. Each cites the controls it implements:`,
    "",
    ...cited.map((s) => `- ${STANDARDS[s].short}: [${STANDARDS[s].name}](${STANDARDS[s].url})`),
    "",
    "| Family | Id | Level | Kind | Sources | Rule |",
    "| --- | --- | --- | --- | --- | --- |",
    ...CONTROL_FAMILIES.flatMap((family) =>
      RULES.filter((r) => r.family === family).map(
        (r) => `| ${family} | \`${r.id}\` | ${r.enforcementLevel} | ${r.kind} | ${r.sources.map(sourceLabel).join("; ")} | ${r.description.replace(/\|/g, "\\|")} |`,
      ),
    ),
    "",
  ].join("\n");
}

/**
 * The rules that can only report after the update: stack rules. Under CrossGuard a resource rule
 * runs on each resource's inputs before its step and can block it, while a stack rule runs once the
 * update is done, on the resources' final outputs (pulumi/pulumi@v3.259.0
 * pkg/resource/deploy/step_generator.go, AnalyzeResources, called by deployment_executor.go after
 * the steps: "AnalyzeStack is called on the final outputs of each resource").
 */
export function renderStackRules(): string {
  const stackRules = RULES.filter((r) => r.kind === "stack");
  return [
    `${stackRules.length} of the ${RULES.length} rules relate several resources, so they are stack rules. Under CrossGuard they run after the update, on the resources' final outputs, and report without blocking. The offline preview and \`policy:check\` run them on the plan, before anything is deployed.`,
    "",
    "| Rule | Level | What it relates |",
    "| --- | --- | --- |",
    ...stackRules.map((r) => `| \`${r.id}\` | ${r.enforcementLevel} | ${r.description.replace(/\|/g, "\\|")} |`),
    "",
  ].join("\n");
}

export function renderConfigReference(): string {
  const groups: ConfigKeySpec["group"][] = ["general", "network", "cluster", "karpenter", "storage", "redis", "buckets", "monitoring", "teams", "policy"];
  const out: string[] = [];
  for (const group of groups) {
    out.push(`**${group}**`, "", "| Key | Type | Default | Meaning |", "| --- | --- | --- | --- |");
    for (const [key, spec] of Object.entries(CONFIG_KEYS) as [string, ConfigKeySpec][]) {
      if (spec.group !== group) continue;
      const def = "default" in spec ? `\`${JSON.stringify(spec.default)}\`` : "required";
      out.push(`| \`${key}\` | ${spec.type} | ${def} | ${spec.description.replace(/\|/g, "\\|")} |`);
    }
    out.push("");
  }
  return out.join("\n");
}

/** The pool kinds of the registry (components/karpenter/pool-kinds.ts), as a table. */
export function renderPoolKinds(): string {
  const context = { architectures: ["amd64" as const], region: PRICE_REFERENCE_REGION, largestPodMemoryGiB: 100, maxNodeMemoryGiB: 1024 };
  const rows = POOL_KINDS.map((kind) => {
    const d = buildPool({ name: kind, kind, limits: { cpu: 1, memoryGiB: 1 } }, context);
    const capacity = d.requirements.find((r) => r.key === "karpenter.sh/capacity-type")?.values ?? [];
    const taints = d.taints.map((t) => `\`${t.key}=${t.value}:${t.effect}\``).join(", ") || "none";
    const labels = Object.entries(d.labels).map(([k, v]) => `\`${k}=${v}\``).join(", ");
    const c = d.disruption;
    const budgets = (c.budgets ?? []).map((b) => (b.schedule ? `${b.nodes} for ${(b.reasons ?? []).join("/")} from \`${b.schedule}\` for ${b.duration}` : `${b.nodes}`)).join("; ");
    return `| \`${kind}\` | ${POOL_KIND_REGISTRY[kind].role} | ${capacity.join(" and ")} | ${POOL_KIND_REGISTRY[kind].description} | ${taints}; ${labels} | ${d.weight} | ${c.consolidationPolicy} after ${c.consolidateAfter}; budgets ${budgets} | ${d.expireAfter} | ${d.terminationGracePeriod} |`;
  });
  return [
    `Pool kinds (\`components/karpenter/pool-kinds.ts\`); the platform runs one pool of each, named after its kind, and \`nodePools\` adds more. The role is the \`${POOL_ROLE_LABEL}\` label.`,
    "",
    "| Kind | Role | Capacity | Instance types | Taint; labels | Weight | Disruption | expireAfter | Grace |",
    "| --- | --- | --- | --- | --- | ---: | --- | --- | --- |",
    ...rows,
    "",
  ].join("\n");
}

export function renderPoolTables(root: string, stacks: readonly string[]): string {
  const out: string[] = [
    `Instance data: ${INSTANCE_DATA_SOURCE}, us-west-2, recorded ${INSTANCE_DATA_DATE} (components/karpenter/instance-types.ts).`,
    `"For pods" is what a pod can request on the node: memory less Karpenter's 7.5% VM-overhead estimate, kubelet and system reservations, the 1 GiB eviction threshold and ${DAEMONSET_MEMORY_MIB} MiB of daemonsets. Both high-memory pools launch the same types (spot first, on-demand as fallback); prices are on-demand.`,
    "",
  ];
  for (const stack of stacks) {
    const sc = loadStackConfig(root, stack);
    const env = loadEnvironment(sc.config, stack);
    const k = env.karpenter;
    const options = { ...k, region: env.region, limits: k.highMemoryLimits, hugePagesGiB: k.hugePagesGiB.spot };
    const types = highMemoryTypes(options);
    out.push(
      `#### ${stack}: largest pod ${k.largestPodMemoryGiB} GiB, ${k.architectures.join(" + ")}, nodes up to ${k.maxNodeMemoryGiB} GiB: ${types.length} types`,
      "",
      "| Instance type | Arch | vCPU | Memory GiB | For pods GiB | On-demand $/h | $/GiB-hour |",
      "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
      ...types.map((t) => {
        const forPods = allocatableForPodsMiB(t, { daemonsetMiB: DAEMONSET_MEMORY_MIB, hugePagesGiB: options.hugePagesGiB }) / 1024;
        return `| ${t.name} | ${t.arch} | ${t.vcpu} | ${t.memoryGiB} | ${forPods.toFixed(1)} | ${(t.onDemandUsdPerHour[env.region] ?? t.onDemandUsdPerHour[PRICE_REFERENCE_REGION]!).toFixed(4)} | ${pricePerGiB(t, env.region).toFixed(5)} |`;
      }),
    );
    const tooSmall = INSTANCE_TYPES.filter((t) => k.architectures.includes(t.arch) && !types.includes(t) && t.memoryGiB <= k.maxNodeMemoryGiB)
      .map((t) => ({ t, forPods: allocatableForPodsMiB(t, { daemonsetMiB: DAEMONSET_MEMORY_MIB, hugePagesGiB: options.hugePagesGiB }) / 1024 }))
      .sort((a, b) => b.forPods - a.forPods)
      .slice(0, 3);
    if (tooSmall.length > 0) {
      out.push("", `Too small: ${tooSmall.map(({ t, forPods }) => `${t.name} (${t.memoryGiB} GiB, ${forPods.toFixed(1)} GiB for pods)`).join(", ")}.`);
    }
    out.push("");
  }
  return out.join("\n");
}

/** Replaces the text between `<!-- name:start -->` and `<!-- name:end -->`. */
export function replaceSection(document: string, name: string, content: string): string {
  const start = `<!-- ${name}:start -->`;
  const end = `<!-- ${name}:end -->`;
  const from = document.indexOf(start);
  const to = document.indexOf(end);
  if (from < 0 || to < from) throw new Error(`README has no ${start} ... ${end} section`);
  return `${document.slice(0, from + start.length)}\n${content}\n${document.slice(to)}`;
}
