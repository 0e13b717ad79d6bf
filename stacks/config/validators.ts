/**
 * Small zod building blocks whose messages say what is allowed. The config loader prefixes each
 * message with the key path and the offending value, so messages here describe only the rule.
 */
import { z } from "zod";

import { parseIpv4Cidr } from "../../components/internal";

export { parseIpv4Cidr };

export const ipv4Cidr = (allowed: string) =>
  z.string().refine((v) => parseIpv4Cidr(v) !== undefined, {
    error: `must be an IPv4 CIDR block with no host bits set, ${allowed}`,
  });

export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values, { error: `must be one of: ${values.join(", ")}` });

export const wholeNumber = (min: number, max: number, note = "") =>
  z
    .number({ error: "must be a whole number" })
    .int({ error: "must be a whole number" })
    .min(min, { error: `must be at least ${min}${note}` })
    .max(max, { error: `must be at most ${max}${note}` });

export const pattern = (re: RegExp, allowed: string) => z.string({ error: `must be a string, ${allowed}` }).regex(re, { error: `must be ${allowed}` });

export const list = <T extends z.ZodType>(item: T, max: number) =>
  z.array(item, { error: "must be a list" }).max(max, { error: `must have at most ${max} entries` });

/** AWS region names of the commercial, China and GovCloud partitions, such as us-west-2. */
export const AWS_REGION = /^(us|eu|ap|ca|sa|me|af|il|mx|cn|us-gov)-(north|south|east|west|central|northeast|northwest|southeast|southwest)-\d$/;

import { LOG_RETENTION_DAYS } from "../../components/internal";
import { MINIMUM_LOG_RETENTION_DAYS, minimumLogRetentionDays } from "../../policies/rules/log-retention";

export { LOG_RETENTION_DAYS };

/** A log retention key: 0 for the tier default, or a CloudWatch retention period (days). */
export const logRetentionDays = () =>
  z.union([z.literal(0), z.literal(LOG_RETENTION_DAYS, { error: `must be one of the CloudWatch retention periods: ${LOG_RETENTION_DAYS.join(", ")}` })]);

/** The per-tier log retention minimums as key descriptions print them: "dev 7, staging 30, prod 365". */
export const LOG_RETENTION_MINIMUMS = Object.entries(MINIMUM_LOG_RETENTION_DAYS)
  .map(([tier, days]) => `${tier} ${days}`)
  .join(", ");

/**
 * Why a resolved log retention is refused in a tier (under the tier's minimum, the same table the
 * policy pack's log-group-retention rule reads), or undefined.
 */
export function logRetentionConfigProblem(days: number, tier: string, tierDefault: number): string | undefined {
  const minimum = minimumLogRetentionDays(tier);
  if (days === 0 || days >= minimum) return undefined;
  const allowed = LOG_RETENTION_DAYS.filter((d) => d >= minimum);
  return `is under the ${tier} minimum of ${minimum} days (policies/rules/log-retention.ts): must be one of ${allowed.join(", ")}, or 0 for the tier default (${tierDefault})`;
}

/** Levenshtein distance, used to suggest the key the user probably meant. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The candidate closest to `input` (case-insensitive), when it is close enough to be a likely typo. */
export function nearest(input: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(input.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(input.length / 3)) ? best : undefined;
}

/**
 * An object entry of a list key: its fields checked by `shape`; an unknown field is refused naming
 * the fields there are (what: "a team", "an entry"); anything else not an object shows `example`.
 */
export const entryObject = <S extends z.ZodRawShape>(shape: S, what: string, example: string) =>
  z.strictObject(shape, {
    error: (issue): string =>
      issue.code === "unrecognized_keys"
        ? `has unknown fields ${issue.keys.join(", ")}; ${what}'s fields are ${Object.keys(shape).join(", ")}`
        : `must be an object such as ${example}`,
  });
