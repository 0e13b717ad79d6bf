/** Resolves the monitoring keys: retention and volume, alarm subscribers, alert receivers (secrets). */
import { emailAddressProblems } from "../../../components/internal";
import type { MonitoringSettings } from "../environment";
import type { Problem, Values } from "../errors";
import type { TierDefaults } from "../tiers";

export function resolveMonitoring(v: Values, tier: TierDefaults, problem: Problem): MonitoringSettings {
  for (const p of emailAddressProblems(v.alarmEmailAddresses)) problem(`alarmEmailAddresses[${p.index}]`, v.alarmEmailAddresses[p.index], p.message);
  return {
    retentionDays: v.monitoringRetentionDays || tier.monitoring.retentionDays,
    storageGiB: v.monitoringStorageGiB || tier.monitoring.storageGiB,
    prometheusReplicas: tier.monitoring.prometheusReplicas,
    alarmEmailAddresses: v.alarmEmailAddresses,
    receivers: {
      ...(v.alertSlackWebhookUrl ? { slackWebhookUrl: v.alertSlackWebhookUrl } : {}),
      ...(v.alertPagerDutyRoutingKey ? { pagerDutyRoutingKey: v.alertPagerDutyRoutingKey } : {}),
      ...(v.alertDeadMansSwitchUrl ? { deadMansSwitchUrl: v.alertDeadMansSwitchUrl } : {}),
    },
  };
}
