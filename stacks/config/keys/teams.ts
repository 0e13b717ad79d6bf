/** The teams key of the config registry (see ../keys.ts for the conventions): one object per team namespace. */
import { z } from "zod";
import { entryObject, list, wholeNumber } from "../validators";
import { declaredPrefixProblem, DNS_LABEL, RESERVED_NAMESPACES, ROLE_ARN, TEAM_NAMESPACE_DEFAULTS, TEAM_QUOTA_DEFAULTS } from "../../../components/internal";
import type { ConfigKeySpec } from "../keys";

/** Defaults of the fields a team may leave out. */
export const TEAM_FIELD_DEFAULTS = {
  storageGiB: 100,
  hugePagesGiB: TEAM_QUOTA_DEFAULTS.hugePagesGiB,
  pods: TEAM_QUOTA_DEFAULTS.pods,
  datasetGiB: 0,
  allowRedis: false,
  serviceAccountName: TEAM_NAMESPACE_DEFAULTS.serviceAccountName,
} as const;

const roleArns = list(
  z.string({ error: "must be a string" }).regex(ROLE_ARN, { error: "must be an IAM role ARN such as arn:aws:iam::123456789012:role/analysts" }),
  20,
);

const TEAM_SHAPE = {
  name: z
    .string({ error: "must be a string" })
    .regex(DNS_LABEL, { error: "must be a DNS label (lowercase letters, digits, hyphens; at most 63): the namespace's name" })
    .refine((n) => !(RESERVED_NAMESPACES as readonly string[]).includes(n), {
      error: `must not be one of the platform's namespaces: ${RESERVED_NAMESPACES.join(", ")}`,
    }),
  memoryGiB: wholeNumber(1, 100000),
  cpu: wholeNumber(1, 10000),
  storageGiB: wholeNumber(1, 100000).default(TEAM_FIELD_DEFAULTS.storageGiB),
  hugePagesGiB: wholeNumber(0, 100000).default(TEAM_FIELD_DEFAULTS.hugePagesGiB),
  pods: wholeNumber(1, 5000).default(TEAM_FIELD_DEFAULTS.pods),
  accessRoleArns: roleArns.default([]),
  viewRoleArns: roleArns.default([]),
  dataAccess: list(
    z.strictObject(
      {
        prefix: z
          .string({ error: "must be a string" })
          .refine((prefix) => declaredPrefixProblem(prefix) === undefined, { error: (issue) => declaredPrefixProblem(String(issue.input)) }),
        access: z.enum(["read", "read-write"], { error: "must be one of: read, read-write" }),
      },
      { error: "must be an object with prefix and access (read or read-write)" },
    ),
    20,
  ).default([]),
  datasetGiB: wholeNumber(0, 16384, " (gp3 volumes hold at most 16 TiB)").default(TEAM_FIELD_DEFAULTS.datasetGiB),
  allowRedis: z.boolean({ error: "must be true or false" }).default(TEAM_FIELD_DEFAULTS.allowRedis),
  serviceAccountName: z
    .string({ error: "must be a string" })
    .regex(DNS_LABEL, { error: "must be a DNS label" })
    .default(TEAM_FIELD_DEFAULTS.serviceAccountName),
};

const team = entryObject(TEAM_SHAPE, "a team", "{name: analytics, memoryGiB: 1024, cpu: 128}");

export type TeamEntry = z.output<typeof team>;

export const TEAMS_KEYS = {
  teams: {
    group: "teams",
    type: "array",
    items: "object",
    description: `Team namespaces, one object each: name (a DNS label, the namespace), memoryGiB and cpu (the quota of all the team's pods; one pod may use all of it), storageGiB (volume claims; default ${TEAM_FIELD_DEFAULTS.storageGiB}), hugePagesGiB (default 0), pods (default ${TEAM_FIELD_DEFAULTS.pods}), accessRoleArns and viewRoleArns (IAM roles given EKS edit or view access to the namespace only; a role may appear once in the whole stack and not among clusterAdminRoleArns), dataAccess (data bucket prefixes, each {prefix: "analytics/", access: read or read-write}), datasetGiB (a "dataset" claim on gp3-high-iops; default 0, none), allowRedis (egress to the platform's Redis; default false), serviceAccountName (default "${TEAM_FIELD_DEFAULTS.serviceAccountName}").`,
    default: [],
    schema: list(team, 50),
  },
} as const satisfies Record<string, ConfigKeySpec>;
