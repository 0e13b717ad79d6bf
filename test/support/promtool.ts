/** Debian's promtool, which the rule tests run: its presence, and `check rules` over a rule file. */
import { execFileSync, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { stringify } from "yaml";

/** Throws, saying how to install it, when promtool is not on PATH. */
export function requirePromtool(): void {
  try {
    execFileSync("promtool", ["--version"], { stdio: "ignore" });
  } catch {
    throw new Error("promtool is not installed: run `npm test` (it installs Debian's prometheus) or `apt-get install prometheus`");
  }
}

/** Writes the groups as a rule file and returns what `promtool check rules` said of it. */
export function writeAndCheckRules(file: string, groups: readonly object[]): { status: number | null; output: string } {
  writeFileSync(file, stringify({ groups }));
  const result = spawnSync("promtool", ["check", "rules", file], { encoding: "utf8" });
  return { status: result.status, output: result.stdout + result.stderr };
}
