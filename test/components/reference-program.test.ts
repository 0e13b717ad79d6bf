/**
 * The reference workload's program, run by a real Python (Debian's python3; the image runs the same
 * program with its own): it reports each mount, lists each claim and reads its first file, and fails
 * (so a Job does not complete) when a claim cannot be listed or read.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { referenceCommand } from "../../components/workloads/workload-args";

const run = (paths: string[], claims: string[]) => {
  const [, flag, program, ...args] = referenceCommand(false, paths, claims);
  expect(flag).toBe("-c");
  return spawnSync("python3", ["-c", program!, ...args], { encoding: "utf8" });
};

describe("the reference program", () => {
  const dir = mkdtempSync(join(tmpdir(), "reference-"));
  const scratch = join(dir, "scratch");
  const data = join(dir, "data");
  mkdirSync(scratch);
  mkdirSync(join(data, "sub"), { recursive: true });
  writeFileSync(join(data, "part-0.bin"), Buffer.alloc(3000, 7));

  it("reports every mount, lists each claim and reads its first file", () => {
    const result = run([scratch], [data]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toContain(`${scratch} usage(total=`);
    expect(result.stdout).toContain(`${data} 2 entries`);
    expect(result.stdout).toContain(`${join(data, "part-0.bin")} 3000 bytes read`);
  });

  it("fails when a claim cannot be read, or is not there", () => {
    if (process.getuid?.() === 0) {
      // root reads whatever the mode says: a missing claim stands in for a denied one.
      expect(run([scratch], [join(dir, "missing")]).status).not.toBe(0);
      return;
    }
    chmodSync(join(data, "part-0.bin"), 0o000);
    expect(run([scratch], [data]).status).not.toBe(0);
    expect(run([scratch], [join(dir, "missing")]).status).not.toBe(0);
  });
});
