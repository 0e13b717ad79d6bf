/**
 * The referenceWorkloads key of the config registry (see ../keys.ts for the conventions): small
 * high-memory Jobs or StatefulSets in team namespaces, built only with the workload helpers, that read
 * a Mountpoint volume of the team's data prefix with /dev/shm and scratch. Off (an empty list) unless
 * a stack asks; the sample stacks run one, so that every check meets a real high-memory pod.
 */
import { z } from "zod";
import { entryObject, list, wholeNumber } from "../validators";
import { declaredPrefixProblem, DNS_LABEL } from "../../../components/internal";
import type { ConfigKeySpec } from "../keys";

/** Defaults of the fields an entry may leave out (memoryGiB: the smaller of this and the pools' largest pod). */
export const REFERENCE_WORKLOAD_DEFAULTS = {
  kind: "Job",
  memoryGiB: 100,
  cpu: 8,
  scratchGiB: 50,
  replicas: 1,
} as const;

const SHAPE = {
  name: z.string({ error: "must be a string" }).regex(DNS_LABEL, { error: "must be a DNS label (lowercase letters, digits, hyphens; at most 63)" }),
  team: z.string({ error: "must be a string" }).regex(DNS_LABEL, { error: "must be the name of a team of the teams key" }),
  prefix: z
    .string({ error: "must be a string" })
    .refine((prefix) => declaredPrefixProblem(prefix) === undefined, { error: (issue) => declaredPrefixProblem(String(issue.input)) })
    .optional(),
  kind: z.enum(["Job", "StatefulSet"], { error: "must be Job or StatefulSet" }).default(REFERENCE_WORKLOAD_DEFAULTS.kind),
  memoryGiB: wholeNumber(2, 4096).optional(),
  cpu: wholeNumber(1, 448).default(REFERENCE_WORKLOAD_DEFAULTS.cpu),
  scratchGiB: wholeNumber(0, 30000, " (0: no scratch volume)").default(REFERENCE_WORKLOAD_DEFAULTS.scratchGiB),
  replicas: wholeNumber(1, 10).default(REFERENCE_WORKLOAD_DEFAULTS.replicas),
};

const entry = entryObject(SHAPE, "an entry", "{name: reference, team: analytics}");

export type ReferenceWorkloadEntry = z.output<typeof entry>;

export const REFERENCE_WORKLOAD_KEYS = {
  referenceWorkloads: {
    group: "teams",
    type: "array",
    items: "object",
    description: `High-memory reference workloads built with the workload helpers, one object each: name (a DNS label), team (a team of the teams key with data prefixes), prefix (the data prefix mounted read-only at /data through Mountpoint for Amazon S3; default the team's first), kind (Job, run once by pulumi up, or StatefulSet; default ${REFERENCE_WORKLOAD_DEFAULTS.kind}), memoryGiB (default ${REFERENCE_WORKLOAD_DEFAULTS.memoryGiB} or the pools' largest pod if smaller), cpu (default ${REFERENCE_WORKLOAD_DEFAULTS.cpu}), scratchGiB (local NVMe scratch at /scratch; default ${REFERENCE_WORKLOAD_DEFAULTS.scratchGiB}), replicas (default ${REFERENCE_WORKLOAD_DEFAULTS.replicas}). Default: none.`,
    default: [],
    schema: list(entry, 5),
  },
} as const satisfies Record<string, ConfigKeySpec>;
