/**
 * Resolves the `teams` key: each entry is already shaped by its schema (keys/teams.ts); here what
 * spans entries and keys: unique names, one access entry per role in the whole stack (admins
 * included), the dataset claim within the team's storage and large enough for the high-IOPS class.
 */
import { HIGH_IOPS_STORAGE_CLASS, minimumVolumeGiB } from "../../../components/internal";
import type { StorageSettings, TeamSettings } from "../environment";
import type { Problem, Values } from "../errors";

/** IAM role names are at most 64 characters (IAM User Guide, "IAM object quotas"). */
const ROLE_NAME_MAX = 64;

/** The physical name of a team's workload role (its WorkloadIdentity): stable, since it is the role's identity. */
export function teamWorkloadRoleName(namePrefix: string, team: string): string {
  return `${namePrefix}-${team}-workloads`;
}

export function resolveTeams(v: Values, namePrefix: string, storage: StorageSettings, adminRoleArns: readonly string[], problem: Problem): TeamSettings[] {
  const names = new Set<string>();
  // Role ARN -> where it already has an access entry. EKS user guide, grant-k8s-access.adoc: "An IAM
  // principal can't be included in more than one access entry."
  const owners = new Map<string, string>(adminRoleArns.map((arn) => [arn, "clusterAdminRoleArns"]));
  const teams: TeamSettings[] = [];
  v.teams.forEach((t, i) => {
    const key = `teams[${i}]` as const;
    if (names.has(t.name)) problem(`${key}.name`, t.name, `team "${t.name}": the name is taken by an earlier team (names are namespaces and must be unique)`);
    names.add(t.name);
    const roles = [
      ...t.accessRoleArns.map((arn, j) => ({ arn, at: `accessRoleArns[${j}]` })),
      ...t.viewRoleArns.map((arn, j) => ({ arn, at: `viewRoleArns[${j}]` })),
    ];
    for (const { arn, at } of roles) {
      const owner = owners.get(arn);
      if (owner)
        problem(
          `${key}.${at}`,
          arn,
          `team "${t.name}": this role already has an access entry (${owner}); a principal can be in one access entry per cluster only`,
        );
      else owners.set(arn, `teams[${i}].${at} (team "${t.name}")`);
    }
    const prefixes = t.dataAccess.map((d) => d.prefix);
    prefixes.forEach((p, j) => {
      if (prefixes.indexOf(p) !== j)
        problem(`${key}.dataAccess[${j}].prefix`, p, `team "${t.name}": the prefix is listed twice; give it once with read or read-write`);
    });
    const workloadRoleName = teamWorkloadRoleName(namePrefix, t.name);
    if (t.dataAccess.length > 0 && workloadRoleName.length > ROLE_NAME_MAX)
      problem(
        `${key}.name`,
        t.name,
        `team "${t.name}": its workload role would be named ${workloadRoleName} (${workloadRoleName.length} characters); IAM role names are at most ${ROLE_NAME_MAX}: use a shorter team name`,
      );
    if (t.hugePagesGiB > t.memoryGiB) problem(`${key}.hugePagesGiB`, t.hugePagesGiB, `team "${t.name}": must be at most memoryGiB (${t.memoryGiB})`);
    if (t.datasetGiB > 0) {
      if (t.datasetGiB > t.storageGiB)
        problem(`${key}.datasetGiB`, t.datasetGiB, `team "${t.name}": the dataset claim must fit the team's storage quota (storageGiB = ${t.storageGiB})`);
      const least = minimumVolumeGiB(storage.highIops);
      if (t.datasetGiB < least)
        problem(
          `${key}.datasetGiB`,
          t.datasetGiB,
          `team "${t.name}": must be 0 (no claim) or at least ${least} GiB on ${HIGH_IOPS_STORAGE_CLASS}: ${storage.highIops} IOPS need 1 GiB per 500`,
        );
    }
    teams.push({
      name: t.name,
      memoryGiB: t.memoryGiB,
      cpu: t.cpu,
      storageGiB: t.storageGiB,
      hugePagesGiB: t.hugePagesGiB,
      pods: t.pods,
      accessRoleArns: t.accessRoleArns,
      viewRoleArns: t.viewRoleArns,
      dataAccess: t.dataAccess,
      workloadRoleName,
      datasetGiB: t.datasetGiB,
      allowRedis: t.allowRedis,
      serviceAccountName: t.serviceAccountName,
    });
  });
  return teams;
}
