/**
 * How long each tier must keep the logs the platform writes to CloudWatch Logs: one table, read by
 * the policy pack (log-group-retention) and by the stack's config validation (the retention keys),
 * so that config cannot ask for what the pack refuses. Kept free of imports: both the policy pack
 * (its own package) and the stack layer load it.
 *
 * - prod: one year. Checkov CKV_AWS_338 ("Ensure CloudWatch log groups retains logs for at least 1
 *   year", bridgecrewio/checkov checkov/terraform/checks/resource/aws/CloudWatchLogGroupRetentionYear.py),
 *   the AWS Config managed rule cw-loggroup-retention-period-check (default MinRetentionTime 365) and
 *   AWS Control Tower CT.CLOUDWATCH.PR.2 ("retained for at least one year") all ask for 365 days: an
 *   intrusion found months later still has its control-plane and network records.
 * - staging: 30 days, one release cycle: a regression found before promotion can be compared with
 *   the release before it.
 * - dev: 7 days: a debugging session over a weekend; dev holds no data worth an investigation.
 */

/** The least retention, in days, of every log group of a stack of each tier. */
export const MINIMUM_LOG_RETENTION_DAYS: Readonly<Record<"dev" | "staging" | "prod", number>> = { dev: 7, staging: 30, prod: 365 };

/** The minimum of a tier; tiers the table does not know get prod's (the strictest). */
export function minimumLogRetentionDays(tier: string | undefined): number {
  return tier !== undefined && tier in MINIMUM_LOG_RETENTION_DAYS
    ? MINIMUM_LOG_RETENTION_DAYS[tier as keyof typeof MINIMUM_LOG_RETENTION_DAYS]
    : MINIMUM_LOG_RETENTION_DAYS.prod;
}

/**
 * Why a retention is too short for a tier, or undefined when it is long enough. 0 or absent means
 * "never expire" in CloudWatch Logs (a log group without a retention policy keeps its events
 * indefinitely), which keeps more than any minimum.
 */
export function logRetentionProblem(days: number | undefined, tier: string | undefined): string | undefined {
  if (days === undefined || days === 0) return undefined;
  const minimum = minimumLogRetentionDays(tier);
  if (days >= minimum) return undefined;
  return `keeps logs ${days} days, under the ${tier ?? "prod"} minimum of ${minimum} days (or never expire)`;
}
