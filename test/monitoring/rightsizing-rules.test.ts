/**
 * The right-sizing rules in Debian's promtool: `check rules`, then `test rules` with a week of
 * series where MemoryRequestsAboveP95 must fire and where it must stay silent (P95 not mean, a week
 * not a day, a request lowered for a while, a young workload, a small request).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { beforeAll, describe, expect, it } from "vitest";
import { MEMORY_REQUESTS_ABOVE_P95, RIGHTSIZING_SERIES, rightSizingRuleGroups } from "../../components/internal";
import { requirePromtool, writeAndCheckRules } from "../support/promtool";

const GiB = 1073741824;
const MiB = 1048576;
const groups = rightSizingRuleGroups();
const dir = mkdtempSync(join(tmpdir(), "hm-rightsizing-"));
const workload = { namespace: "team-a", workload: "trainer", workload_type: "statefulset", container: "main" };
const c = (k: Record<string, string>) =>
  `{${Object.entries(k)
    .map(([a, b]) => `${a}="${b}"`)
    .join(",")}}`;

/** A week and two hours of a StatefulSet pod, sampled every 30 minutes (341 samples from 0 to 170h). */
const pod = (workingSet: string, requests: string) => [
  { series: `container_memory_working_set_bytes${c({ namespace: "team-a", pod: "trainer-0", container: "main" })}`, values: workingSet },
  {
    series: `kube_pod_container_resource_requests${c({ namespace: "team-a", pod: "trainer-0", container: "main", resource: "memory", unit: "byte" })}`,
    values: requests,
  },
  // kube-prometheus-stack's recording of the pod's owner, as its rule writes it.
  {
    series: `namespace_workload_pod:kube_pod_owner:relabel${c({ namespace: "team-a", pod: "trainer-0", workload: "trainer", workload_type: "statefulset" })}`,
    values: "1x340",
  },
];

const description = MEMORY_REQUESTS_ABOVE_P95.annotations.description.replace(
  /\{\{ \$labels\.(\w+) \}\}/g,
  (_m, k: string) => workload[k as keyof typeof workload],
);
const fires = [
  {
    exp_labels: { ...workload, severity: "info" },
    exp_annotations: { summary: MEMORY_REQUESTS_ABOVE_P95.annotations.summary, description, runbook_url: MEMORY_REQUESTS_ABOVE_P95.annotations.runbook_url },
  },
];

interface Case {
  readonly name: string;
  readonly series: { series: string; values: string }[];
  readonly fires: boolean;
}

const CASES: Case[] = [
  { name: "requests 2x a steady working set for the week", series: pod(`${10 * GiB}x340`, `${20 * GiB}x340`), fires: true },
  { name: "requests 1.4x: within the margin", series: pod(`${10 * GiB}x340`, `${14 * GiB}x340`), fires: false },
  // Mostly 10 GiB, but 40 of the week's samples at 30 GiB: the P95 is 30 GiB and 40 GiB is only 1.33x it.
  { name: "requests 4x the usual working set but 1.33x its P95", series: pod(`${10 * GiB}x300 ${30 * GiB}x40`, `${40 * GiB}x340`), fires: false },
  // For five hours in the week the request was 12 GiB (1.2x): not "for 7 days".
  { name: "a request lowered for part of the week", series: pod(`${10 * GiB}x340`, `${20 * GiB}x200 ${12 * GiB}x10 ${20 * GiB}x129`), fires: false },
  // Three days of history only: the P95 of three days is not a week's.
  { name: "a workload younger than 7 days", series: pod(`_x200 ${10 * GiB}x140`, `_x200 ${20 * GiB}x140`), fires: false },
  { name: "a request under 1 GiB", series: pod(`${100 * MiB}x340`, `${512 * MiB}x340`), fires: false },
];

let checked: ReturnType<typeof writeAndCheckRules>;
beforeAll(() => {
  requirePromtool();
  checked = writeAndCheckRules(join(dir, "rules.yaml"), groups);
});

describe("right-sizing rules in promtool", () => {
  it("pass promtool check rules", () => {
    expect(checked.status, checked.output).toBe(0);
    expect(checked.output).toContain(`SUCCESS: ${groups.flatMap((g) => g.rules).length} rules found`);
  });

  it("have a firing case and silent cases for the alert", () => {
    expect(CASES.some((k) => k.fires) && CASES.some((k) => !k.fires)).toBe(true);
  });

  it("fire exactly where they must, and record the P95 and the week's smallest request per workload container", () => {
    const tests = CASES.map((k) => ({
      name: k.name,
      interval: "30m",
      input_series: k.series,
      alert_rule_test: [{ eval_time: "170h", alertname: MEMORY_REQUESTS_ABOVE_P95.alert, exp_alerts: k.fires ? fires : [] }],
    }));
    const recorded = {
      name: "recorded series",
      interval: "30m",
      input_series: pod(`${10 * GiB}x300 ${30 * GiB}x40`, `${20 * GiB}x200 ${12 * GiB}x10 ${20 * GiB}x129`),
      promql_expr_test: [
        {
          expr: RIGHTSIZING_SERIES.workingSetP95,
          eval_time: "170h",
          exp_samples: [{ labels: `${RIGHTSIZING_SERIES.workingSetP95}${c(workload)}`, value: 30 * GiB }],
        },
        {
          expr: RIGHTSIZING_SERIES.requestsMin7d,
          eval_time: "170h",
          exp_samples: [{ labels: `${RIGHTSIZING_SERIES.requestsMin7d}${c(workload)}`, value: 12 * GiB }],
        },
        { expr: RIGHTSIZING_SERIES.requests, eval_time: "170h", exp_samples: [{ labels: `${RIGHTSIZING_SERIES.requests}${c(workload)}`, value: 20 * GiB }] },
      ],
    };
    // promtool evaluates every group at each step of evaluation_interval, in an unspecified order
    // unless group_eval_order names it (prometheus cmd/promtool/unittest.go); here the 7-day group reads
    // what the short group recorded at the same step, as it does on a running Prometheus, where the
    // short group's series are a minute old at most. Without the order the cases pass or fail by chance.
    writeFileSync(
      join(dir, "tests.yaml"),
      stringify({
        rule_files: ["rules.yaml"],
        evaluation_interval: "30m",
        group_eval_order: groups.map((g) => g.name),
        tests: [...tests, recorded],
      }),
    );
    const result = spawnSync("promtool", ["test", "rules", join(dir, "tests.yaml")], { encoding: "utf8" });
    expect(result.status, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain("SUCCESS");
  });
});
