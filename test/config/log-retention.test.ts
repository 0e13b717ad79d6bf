/**
 * The per-tier log retention minimums are one table (policies/rules/log-retention.ts) that the config
 * validation and the policy pack both read: the tier defaults must meet it, and both must refuse
 * the same values.
 */
import { describe, expect, it } from "vitest";
import { LOG_RETENTION_DAYS } from "../../components/internal";
import { logRetentionProblem, MINIMUM_LOG_RETENTION_DAYS, minimumLogRetentionDays } from "../../policies/rules/log-retention";
import { TIER_DEFAULTS, TIERS } from "../../stacks/config/tiers";
import { logRetentionConfigProblem } from "../../stacks/config/validators";

describe("log retention minimums", () => {
  it("has a minimum for every tier, each a CloudWatch retention period, prod at least a year", () => {
    expect(Object.keys(MINIMUM_LOG_RETENTION_DAYS).sort()).toEqual([...TIERS].sort());
    for (const days of Object.values(MINIMUM_LOG_RETENTION_DAYS)) expect(LOG_RETENTION_DAYS).toContain(days);
    expect(MINIMUM_LOG_RETENTION_DAYS.prod).toBeGreaterThanOrEqual(365);
  });

  it.each(TIERS)("gives %s log groups tier defaults that meet its minimum", (tier) => {
    for (const days of [TIER_DEFAULTS[tier].controlPlaneLogRetentionDays, TIER_DEFAULTS[tier].flowLogRetentionDays]) {
      expect(days).toBeGreaterThanOrEqual(MINIMUM_LOG_RETENTION_DAYS[tier]);
      expect(logRetentionProblem(days, tier)).toBeUndefined();
    }
  });

  it.each(TIERS)("refuses in config exactly what the policy refuses in %s", (tier) => {
    for (const days of LOG_RETENTION_DAYS) {
      const policy = logRetentionProblem(days, tier) === undefined;
      const config = logRetentionConfigProblem(days, tier, TIER_DEFAULTS[tier].flowLogRetentionDays) === undefined;
      expect(config, `${days} days in ${tier}`).toBe(policy);
    }
  });

  it("lets never-expiring groups pass, and holds a stack of unknown tier to prod's minimum", () => {
    expect(logRetentionProblem(0, "prod")).toBeUndefined();
    expect(logRetentionProblem(undefined, "prod")).toBeUndefined();
    expect(minimumLogRetentionDays(undefined)).toBe(MINIMUM_LOG_RETENTION_DAYS.prod);
    expect(logRetentionProblem(90, undefined)).toMatch(/under the prod minimum of 365 days/);
  });
});
