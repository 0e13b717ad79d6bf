import type * as pulumi from "@pulumi/pulumi";
import type { MetricAlarmArgs } from "@pulumi/aws/cloudwatch/metricAlarm";
/** CloudWatch Logs accepts only these retention periods (days). */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** What a failure alarm needs: the failure-count metric, where it is, and whom it tells. */
export interface FailureAlarm {
  readonly region: pulumi.Input<string>;
  readonly name: string;
  readonly description: string;
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, pulumi.Input<string>>>;
  /** Seconds each evaluation sums over. */
  readonly periodSeconds: number;
  readonly alarmActions: readonly pulumi.Input<string>[];
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * The platform's one shape of failure alarm: it fires when a failure counter sums above zero in one
 * period; a period without data counts as no failure (treatMissingData "notBreaching", CloudWatch
 * user guide, "Configuring how CloudWatch alarms treat missing data").
 */
export function failureAlarmArgs(f: FailureAlarm): MetricAlarmArgs {
  return {
    region: f.region,
    name: f.name,
    alarmDescription: f.description,
    namespace: f.namespace,
    metricName: f.metricName,
    dimensions: { ...f.dimensions },
    statistic: "Sum",
    period: f.periodSeconds,
    evaluationPeriods: 1,
    threshold: 0,
    comparisonOperator: "GreaterThanThreshold",
    treatMissingData: "notBreaching",
    alarmActions: [...f.alarmActions],
    tags: f.tags,
  };
}
