/**
 * Resolves the referenceWorkloads key: each entry against its team (which must exist and have data
 * prefixes, and whose quota must hold the pods) and against the high-memory pools (the pod must fit
 * the largest pod they are sized for).
 */
import type { KarpenterSettings, ReferenceWorkloadSettings, TeamSettings } from "../environment";
import type { Problem, Values } from "../errors";
import { REFERENCE_WORKLOAD_DEFAULTS } from "../keys/reference-workloads";

export function resolveReferenceWorkloads(
  v: Values,
  teams: readonly TeamSettings[],
  karpenter: Pick<KarpenterSettings, "largestPodMemoryGiB">,
  problem: Problem,
): ReferenceWorkloadSettings[] {
  const names = new Set<string>();
  const resolved: ReferenceWorkloadSettings[] = [];
  v.referenceWorkloads.forEach((w, i) => {
    const key = `referenceWorkloads[${i}]` as const;
    const taken = names.has(`${w.team}/${w.name}`);
    names.add(`${w.team}/${w.name}`);
    if (taken) problem(`${key}.name`, w.name, `team "${w.team}" already has a reference workload named ${w.name}`);
    const team = teams.find((t) => t.name === w.team);
    if (!team) {
      problem(`${key}.team`, w.team, `must be a team of the teams key (${teams.map((t) => t.name).join(", ") || "none declared"})`);
      return;
    }
    const prefixes = team.dataAccess.map((d) => d.prefix);
    const prefix = w.prefix ?? prefixes[0];
    if (prefix === undefined) {
      problem(`${key}.team`, w.team, `team "${w.team}" has no dataAccess prefixes: the workload mounts one of them, read with the team's own role`);
      return;
    }
    if (!prefixes.includes(prefix)) problem(`${key}.prefix`, prefix, `must be one of team "${w.team}"'s dataAccess prefixes: ${prefixes.join(", ")}`);
    const memoryGiB = w.memoryGiB ?? Math.min(REFERENCE_WORKLOAD_DEFAULTS.memoryGiB, karpenter.largestPodMemoryGiB);
    if (memoryGiB > karpenter.largestPodMemoryGiB)
      problem(
        `${key}.memoryGiB`,
        memoryGiB,
        `must be at most ${karpenter.largestPodMemoryGiB} GiB, the largest pod the high-memory pools are sized for (largestPodMemoryGiB)`,
      );
    if (memoryGiB * w.replicas > team.memoryGiB)
      problem(`${key}.memoryGiB`, memoryGiB, `${w.replicas} pod(s) of ${memoryGiB} GiB exceed team "${w.team}"'s memory quota (${team.memoryGiB} GiB)`);
    if (w.cpu * w.replicas > team.cpu) problem(`${key}.cpu`, w.cpu, `${w.replicas} pod(s) of ${w.cpu} CPU exceed team "${w.team}"'s CPU quota (${team.cpu})`);
    resolved.push({ name: w.name, team: w.team, prefix, kind: w.kind, memoryGiB, cpu: w.cpu, scratchGiB: w.scratchGiB, replicas: w.replicas });
  });
  return resolved;
}
