/**
 * scripts/install-test-tools.sh as a hosted runner runs it: as a non-root user, with none of the
 * tools on PATH. Run as root (CI, containers), the test creates a throwaway user with useradd, runs
 * the script as that user with runuser, and removes the user and its sudoers entry afterwards:
 *
 * - sudo for apt-get only, apt-get a stub that records its arguments and "installs" the tools: the
 *   script calls `sudo -n <apt-get> update`, then `install`, as root, and finds the tools after;
 * - the same sudo rule, no stub: sudo's own log shows the real /usr/bin/apt-get run with those
 *   arguments (the packages are installed already, so it changes nothing on this machine);
 * - no sudo rights, and no sudo at all: the script stops with the exact commands to run.
 *
 * Not root (a developer machine): one test, skipped, whose name says why.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = join(__dirname, "..", "..");
const isRoot = process.getuid?.() === 0;
const TOOLS = ["redis-server", "redis-cli", "promtool"];
const INSTALL = "install -y -qq --no-install-recommends -o DPkg::Lock::Timeout=120 redis-server redis-tools prometheus";

function run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(command, args, { encoding: "utf8", timeout: 120_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function must(command: string, args: string[]): void {
  const result = run(command, args);
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}: ${result.stderr}`);
}

/** A folder of links to every command in the system's bin folders, except the tools and `omit`. */
function restrictedBin(dir: string, omit: readonly string[]): string {
  mkdirSync(dir);
  for (const system of ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]) {
    if (!existsSync(system)) continue;
    for (const name of readdirSync(system)) {
      if (TOOLS.includes(name) || omit.includes(name) || existsSync(join(dir, name))) continue;
      symlinkSync(join(system, name), join(dir, name));
    }
  }
  return dir;
}

if (!isRoot) {
  it.skip(`SKIPPED install-test-tools.sh as a non-root user: creating a throwaway user (useradd, sudoers) needs root, and this run is uid ${process.getuid?.() ?? "unknown"}`, () => {});
} else {
  describe("scripts/install-test-tools.sh as a non-root user", () => {
    const user = `hm-tools-${process.pid}`;
    const sudoers = `/etc/sudoers.d/${user}`;
    let dir = "";
    let bin = "";
    let binWithoutSudo = "";

    /** Runs the script as the throwaway user, with only the given environment. */
    const asUser = (env: Record<string, string>) =>
      run("runuser", [
        "-u",
        user,
        "--",
        "env",
        "-i",
        `HOME=${dir}`,
        ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
        "bash",
        join(dir, "install-test-tools.sh"),
      ]);
    const grantAptGet = () => {
      // Passwordless sudo for apt-get only (the real one and the stub), every command logged to a
      // file (sudoers(5): logfile), so the test sees what sudo actually ran.
      writeFileSync(
        sudoers,
        `Defaults:${user} logfile=${join(dir, "sudo.log")}\n${user} ALL=(root) NOPASSWD: /usr/bin/apt-get, ${join(dir, "stub", "apt-get")}\n`,
        { mode: 0o440 },
      );
      must("visudo", ["-c", "-q", "-f", sudoers]);
    };
    const sudoLog = () => (existsSync(join(dir, "sudo.log")) ? readFileSync(join(dir, "sudo.log"), "utf8").replace(/\n\s+/g, " ") : "");

    beforeAll(() => {
      for (const command of ["useradd", "userdel", "runuser", "sudo", "visudo"]) {
        if (run("sh", ["-c", `command -v ${command}`]).status !== 0)
          throw new Error(`the non-root install test needs ${command} (npm test installs sudo as root)`);
      }
      dir = mkdtempSync(join(tmpdir(), "install-test-tools-"));
      chmodSync(dir, 0o755);
      copyFileSync(join(ROOT, "scripts", "install-test-tools.sh"), join(dir, "install-test-tools.sh"));
      chmodSync(join(dir, "install-test-tools.sh"), 0o755);
      bin = restrictedBin(join(dir, "bin"), []);
      binWithoutSudo = restrictedBin(join(dir, "bin-nosudo"), ["sudo"]);
      mkdirSync(join(dir, "installed"));
      mkdirSync(join(dir, "stub"));
      // The stub records who ran it and with what, and on install puts the three tools where the
      // test's PATH looks.
      writeFileSync(
        join(dir, "stub", "apt-get"),
        [
          "#!/bin/sh",
          `echo "$(id -u) $*" >> ${join(dir, "apt-calls.log")}`,
          `if [ "$1" = install ]; then for t in ${TOOLS.join(" ")}; do printf '#!/bin/sh\\n' > ${join(dir, "installed")}/$t; chmod 755 ${join(dir, "installed")}/$t; done; fi`,
          "",
        ].join("\n"),
        { mode: 0o755 },
      );
      must("useradd", ["--no-create-home", "--home-dir", dir, "--shell", "/bin/sh", user]);
    });

    afterAll(() => {
      rmSync(sudoers, { force: true });
      run("userdel", [user]);
      if (dir) rmSync(dir, { recursive: true, force: true });
    });

    it("runs as a user that is not root, with none of the tools on PATH", () => {
      const probe = run("runuser", [
        "-u",
        user,
        "--",
        "env",
        "-i",
        `PATH=${bin}`,
        "sh",
        "-c",
        `id -u; for t in ${TOOLS.join(" ")}; do command -v $t || echo "no $t"; done`,
      ]);
      expect(probe.stdout.split("\n")[0]).not.toBe("0");
      expect(probe.stdout).toContain(TOOLS.map((t) => `no ${t}`).join("\n"));
    });

    it("with sudo for apt-get only: calls sudo -n apt-get update, then install, as root, and finds the tools", () => {
      grantAptGet();
      const result = asUser({ PATH: `${bin}:${join(dir, "installed")}`, HIGHMEM_APT_GET: join(dir, "stub", "apt-get") });
      expect(result.stderr).toBe("");
      expect(result.status).toBe(0);
      expect(result.stdout).toBe("Installing Debian packages the tests need, with sudo: redis-server redis-tools prometheus\n");
      // uid 0: the stub ran as root, which this user can only reach through sudo.
      expect(readFileSync(join(dir, "apt-calls.log"), "utf8")).toBe(`0 update -qq\n0 ${INSTALL}\n`);
      const log = sudoLog();
      expect(log).toContain(`USER=root ; COMMAND=${join(dir, "stub", "apt-get")} update -qq`);
      expect(log).toContain(`USER=root ; COMMAND=${join(dir, "stub", "apt-get")} ${INSTALL}`);
    });

    it("by default the apt-get sudo runs is the real /usr/bin/apt-get", () => {
      grantAptGet();
      rmSync(join(dir, "sudo.log"), { force: true });
      const before = readFileSync(join(dir, "apt-calls.log"), "utf8");
      const result = asUser({ PATH: bin });
      // The packages are installed on this machine, so the real install changes nothing; the tools
      // stay off this test's PATH, which the script reports rather than claim success.
      expect(result.stdout).toBe("Installing Debian packages the tests need, with sudo: redis-server redis-tools prometheus\n");
      expect(result.stderr).toBe(
        `error: apt-get installed redis-server redis-tools prometheus, but these commands are still not on PATH: ${TOOLS.join(" ")} (PATH=${bin})\n`,
      );
      expect(result.status).toBe(1);
      const log = sudoLog();
      expect(log).toContain("USER=root ; COMMAND=/usr/bin/apt-get update -qq");
      expect(log).toContain(`USER=root ; COMMAND=/usr/bin/apt-get ${INSTALL}`);
      expect(readFileSync(join(dir, "apt-calls.log"), "utf8")).toBe(before);
    });

    it("without sudo rights: stops with the exact commands to run", () => {
      rmSync(sudoers, { force: true });
      const result = asUser({ PATH: `${bin}:${join(dir, "installed-never")}` });
      expect(result.status).toBe(1);
      expect(result.stdout).toBe("");
      expect(result.stderr).toBe(
        [
          "error: the tests need these Debian packages: redis-server redis-tools prometheus",
          "       you are not root and sudo needs a password to run apt-get (sudo -n true failed), so install them yourself:",
          "         sudo apt-get update && sudo apt-get install -y redis-server redis-tools prometheus",
          "       then run npm test again.",
          "",
        ].join("\n"),
      );
    });

    it("without sudo installed: stops with the exact commands to run", () => {
      const result = asUser({ PATH: binWithoutSudo });
      expect(result.status).toBe(1);
      expect(result.stderr).toBe(
        [
          "error: the tests need these Debian packages: redis-server redis-tools prometheus",
          "       you are not root and sudo is not installed, so install them yourself:",
          "         sudo apt-get update && sudo apt-get install -y redis-server redis-tools prometheus",
          "       then run npm test again.",
          "",
        ].join("\n"),
      );
    });
  });
}
