/**
 * EXAMPLES: the URN of every resource of the three sample stacks, as committed snapshots. A change
 * that renames or re-parents a resource changes its URN, and Pulumi then deletes the old resource and
 * creates a new one unless an alias keeps it: this test fails on that, naming the URNs gone and new,
 * for the right reason (not because some figure changed). When a rename is intended and carries an
 * alias, regenerate with UPDATE_URN_SNAPSHOTS=1 and commit the new snapshot with the alias.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { Plan } from "../../tools/preview/plan";
import { previewAll, projectWith } from "../support/stack-configs";

const SAMPLES = join(__dirname, "samples");
const SNAPSHOTS = join(__dirname, "urns");
const STACKS = ["dev", "staging", "prod"];
const plans = new Map<string, Plan>();

beforeAll(async () => {
  const root = projectWith(Object.fromEntries(readdirSync(SAMPLES).map((f) => [f, readFileSync(join(SAMPLES, f), "utf8")])));
  for (const [label, plan] of await previewAll(STACKS.map((stack) => ({ label: stack, root, stack })))) plans.set(label, plan);
});

describe.each(STACKS)("sample stack %s", (stack) => {
  it("keeps the URN of every resource (a rename needs an alias and a new snapshot)", () => {
    const urns = plans
      .get(stack)!
      .resources.map((r) => r.urn)
      .sort();
    const file = join(SNAPSHOTS, `${stack}.txt`);
    if (process.env["UPDATE_URN_SNAPSHOTS"] === "1") writeFileSync(file, urns.join("\n") + "\n");
    expect(existsSync(file), `no snapshot ${file}: run with UPDATE_URN_SNAPSHOTS=1 once and commit it`).toBe(true);
    const committed = readFileSync(file, "utf8").trim().split("\n");
    const gone = committed.filter((u) => !urns.includes(u));
    const added = urns.filter((u) => !committed.includes(u));
    expect({ gone, added }, `URNs changed in ${stack}: a resource whose URN is gone is deleted unless an alias keeps it`).toEqual({ gone: [], added: [] });
  });
});
