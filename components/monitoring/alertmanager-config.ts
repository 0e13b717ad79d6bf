/**
 * Alertmanager routing. Receiver secrets (Slack webhook, PagerDuty routing key, dead-man's-switch
 * URL) are never in the Helm values: Alertmanager reads them from files of a mounted Secret.
 */
export const RECEIVER_SECRET = "alertmanager-receivers";
const SECRET_DIR = `/etc/alertmanager/secrets/${RECEIVER_SECRET}`;

export interface ReceiverSettings {
  readonly slack: boolean;
  readonly pagerDuty: boolean;
  readonly deadMansSwitch: boolean;
}

export function alertmanagerConfig(r: ReceiverSettings): Record<string, unknown> {
  const receivers: Record<string, unknown>[] = [{ name: "null" }];
  const routes: Record<string, unknown>[] = [];
  // The Watchdog alert always fires; an outside service alarms when it stops arriving.
  if (r.deadMansSwitch) {
    receivers.push({ name: "dead-mans-switch", webhook_configs: [{ url_file: `${SECRET_DIR}/dead-mans-switch-url`, send_resolved: false }] });
    routes.push({ matchers: ['alertname = "Watchdog"'], receiver: "dead-mans-switch", group_wait: "0s", group_interval: "1m", repeat_interval: "1m" });
  } else {
    routes.push({ matchers: ['alertname = "Watchdog"'], receiver: "null" });
  }
  routes.push({ matchers: ['alertname = "InfoInhibitor"'], receiver: "null" });
  if (r.pagerDuty) {
    receivers.push({ name: "pagerduty", pagerduty_configs: [{ routing_key_file: `${SECRET_DIR}/pagerduty-routing-key`, send_resolved: true }] });
    routes.push({ matchers: ['severity = "critical"'], receiver: "pagerduty", continue: r.slack });
  }
  if (r.slack) {
    receivers.push({
      name: "slack",
      slack_configs: [
        {
          api_url_file: `${SECRET_DIR}/slack-webhook-url`,
          send_resolved: true,
          title: "{{ .CommonLabels.alertname }} ({{ .Status }})",
          text: "{{ range .Alerts }}{{ .Annotations.summary }}: {{ .Annotations.description }}\n{{ end }}",
        },
      ],
    });
  }
  return {
    route: {
      receiver: r.slack ? "slack" : "null",
      group_by: ["alertname", "namespace"],
      group_wait: "30s",
      group_interval: "5m",
      repeat_interval: "4h",
      routes,
    },
    receivers,
    inhibit_rules: [{ source_matchers: ['severity = "critical"'], target_matchers: ['severity = "warning"'], equal: ["alertname", "namespace"] }],
  };
}
