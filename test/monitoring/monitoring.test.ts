import { describe, expect, it } from "vitest";
import { platformRuleGroups } from "../../components/monitoring/monitoring-stack";
import { alertmanagerConfig } from "../../components/monitoring/alertmanager-config";
import { DASHBOARDS } from "../../components/monitoring/dashboards";
import { KNOWN_METRICS, metricsIn } from "../../components/monitoring/known-metrics";

const recorded = platformRuleGroups()
  .flatMap((g) => g.rules)
  .flatMap((r) => ("record" in r ? [r.record] : []));
const produced = new Set([...Object.values(KNOWN_METRICS).flat(), ...recorded]);

describe("dashboards", () => {
  it("are well-formed: unique uids, titles, panels laid out without overlap, a query per panel", () => {
    expect(new Set(DASHBOARDS.map((d) => d.uid)).size).toBe(DASHBOARDS.length);
    for (const d of DASHBOARDS) {
      expect(d.title && d.description).toBeTruthy();
      const cells = new Set<string>();
      for (const p of d.panels) {
        expect(p.targets.length).toBeGreaterThan(0);
        expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
        const cell = `${p.gridPos.x},${p.gridPos.y}`;
        expect(cells.has(cell), `${d.uid}: two panels at ${cell}`).toBe(false);
        cells.add(cell);
      }
      expect(JSON.parse(JSON.stringify(d))).toEqual(d);
    }
  });

  it("answer the questions of the issues: requests vs use, pod memory, capacity, scaling, Redis, right-sizing", () => {
    expect(DASHBOARDS.map((d) => d.uid)).toEqual(["memory-requests-vs-usage", "pod-memory-profile", "capacity", "scaling", "redis", "right-sizing"]);
  });

  it("query only metrics the stack produces or records", () => {
    const unknown = DASHBOARDS.flatMap((d) =>
      d.panels.flatMap((p) =>
        p.targets.flatMap((t) =>
          metricsIn(t.expr)
            .filter((m) => !produced.has(m))
            .map((m) => `${d.uid}/${p.title}: ${m}`),
        ),
      ),
    );
    expect(unknown).toEqual([]);
  });
});

describe("alert rules", () => {
  it("read only metrics the stack produces or records", () => {
    const unknown = platformRuleGroups(undefined, [{ namespace: "data", name: "redis-backup", schedule: "@daily" }])
      .flatMap((g) => g.rules)
      .flatMap((r) =>
        metricsIn(r.expr)
          .filter((m) => !produced.has(m))
          .map((m) => `${"alert" in r ? r.alert : r.record}: ${m}`),
      );
    expect(unknown).toEqual([]);
  });

  it("the metric scanner finds what a query reads and ignores label lists, matchers and numbers", () => {
    expect(metricsIn('max by (namespace, pod) (a_bytes{x="y"}) / on (pod) group_left (owner) b_total[5m] > 1e9')).toEqual(["a_bytes", "b_total"]);
    expect(metricsIn("a_bytes and (b_bytes offset 7d) and c_bytes offset -1h30m")).toEqual(["a_bytes", "b_bytes", "c_bytes"]);
  });
});

describe("Alertmanager routing", () => {
  it("sends critical alerts to PagerDuty, everything to Slack, the Watchdog to the dead man's switch, secrets read from files", () => {
    const config = alertmanagerConfig({ slack: true, pagerDuty: true, deadMansSwitch: true });
    const text = JSON.stringify(config);
    expect(text).toContain('"routing_key_file":"/etc/alertmanager/secrets/alertmanager-receivers/pagerduty-routing-key"');
    expect(text).toContain('"api_url_file":"/etc/alertmanager/secrets/alertmanager-receivers/slack-webhook-url"');
    expect((config["route"] as { receiver: string }).receiver).toBe("slack");
    expect(JSON.stringify((config["route"] as { routes: unknown[] }).routes[0])).toContain("dead-mans-switch");
  });

  it("routes nothing to receivers that are not configured", () => {
    const config = alertmanagerConfig({ slack: false, pagerDuty: false, deadMansSwitch: false });
    expect((config["receivers"] as { name: string }[]).map((r) => r.name)).toEqual(["null"]);
  });
});

// The monitoring stack in every config's plan is checked in test/preview/stacks.test.ts, which shares
// one preview of each config between its rules.
