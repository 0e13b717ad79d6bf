/** The monitoring keys of the config registry (see ../keys.ts for the conventions). */
import { z } from "zod";
import { list, pattern, wholeNumber } from "../validators";
import { tierValues } from "../tiers";
import { EMAIL_ADDRESS, MONITORING_LIMITS, DEFAULT_STORAGE_CLASS } from "../../../components/internal";
import type { ConfigKeySpec } from "../keys";

export const MONITORING_KEYS = {
  monitoringRetentionDays: {
    group: "monitoring",
    type: "integer",
    description: `Days of metrics Prometheus keeps. 0 means the tier default (${tierValues((t) => t.monitoring.retentionDays)}).`,
    default: 0,
    schema: z.union([z.literal(0), wholeNumber(MONITORING_LIMITS.minRetentionDays, MONITORING_LIMITS.maxRetentionDays)]),
  },
  monitoringStorageGiB: {
    group: "monitoring",
    type: "integer",
    description: `Prometheus volume (GiB, ${DEFAULT_STORAGE_CLASS}). 0 means the tier default (${tierValues((t) => t.monitoring.storageGiB)}).`,
    default: 0,
    schema: z.union([z.literal(0), wholeNumber(MONITORING_LIMITS.minStorageGiB, MONITORING_LIMITS.maxStorageGiB)]),
  },
  alarmEmailAddresses: {
    group: "monitoring",
    type: "array",
    description:
      "Email addresses subscribed to the stack's AWS alarm topic (S3 replication failures). Each gets a confirmation email from SNS first. The topic's ARN is a stack output for other subscribers.",
    default: [],
    schema: list(pattern(EMAIL_ADDRESS, "an email address such as oncall@example.com"), 20),
  },
  alertSlackWebhookUrl: {
    group: "monitoring",
    type: "string",
    description:
      "Slack incoming-webhook URL that receives every alert. Secret: set it with `pulumi config set --secret alertSlackWebhookUrl <url>`. Unset: no Slack.",
    default: "",
    secret: true,
    offlineStandIn: "https://hooks.slack.com/services/T00000000/B00000000/OfflineStandIn",
    schema: z.union([z.literal(""), pattern(/^https:\/\/hooks\.slack\.com\/services\/\S+$/, "a Slack webhook URL (https://hooks.slack.com/services/...)")]),
  },
  alertPagerDutyRoutingKey: {
    group: "monitoring",
    type: "string",
    description:
      "PagerDuty Events v2 routing key that receives critical alerts. Secret: set it with `pulumi config set --secret alertPagerDutyRoutingKey <key>`. Unset: no PagerDuty.",
    default: "",
    secret: true,
    offlineStandIn: "OfflineStandIn000000000000000000",
    schema: z.union([z.literal(""), pattern(/^[a-zA-Z0-9]{32}$/, "a 32-character PagerDuty routing key")]),
  },
  alertDeadMansSwitchUrl: {
    group: "monitoring",
    type: "string",
    description:
      "URL the always-firing Watchdog alert is sent to every minute; the service behind it alarms when it stops. Secret: set it with `pulumi config set --secret alertDeadMansSwitchUrl <url>`. Unset: none.",
    default: "",
    secret: true,
    offlineStandIn: "https://offline-stand-in.invalid/watchdog",
    schema: z.union([z.literal(""), pattern(/^https:\/\/\S+$/, "an https URL")]),
  },
} as const satisfies Record<string, ConfigKeySpec>;
