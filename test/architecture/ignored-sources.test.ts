/**
 * No source file may be ignored by git: a pattern such as `lib/` (meant for the package build at the
 * root) once hid components/lib/time-zone.ts, which then never reached a commit, and a clean clone
 * could not build. This lists every TypeScript or JavaScript source git ignores, outside what is
 * built or installed.
 */
import { execFileSync } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");

describe("sources and git", () => {
  it("ignores no source file", () => {
    const ignored = execFileSync("git", ["ls-files", "--others", "--ignored", "--exclude-standard"], {
      cwd: ROOT,
      encoding: "utf8",
      maxBuffer: 256 * 1024 * 1024,
    })
      .split("\n")
      .filter((f) => /\.(ts|mts|mjs|cjs|js)$/.test(f) && !/^(dist|lib|out)\//.test(f) && !f.includes("node_modules/"));
    expect(ignored).toEqual([]);
  });
});
