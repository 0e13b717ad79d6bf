/**
 * Wall time of the offline preview of each stack (as users run it, node on the compiled CLI), their
 * sum, and the wall time of `npm test`. Prints figures; asserts nothing. Each stack is run once to
 * warm the code cache, then RUNS times; the median is reported.
 */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

const ROOT = join(__dirname, "..", "..");
const RUNS = Number(process.env["BENCH_RUNS"] ?? 5);

function wallSeconds(command: string, args: string[]): number {
  const start = performance.now();
  const result = spawnSync(command, args, { cwd: ROOT, stdio: "ignore" });
  if (result.status !== 0) throw new Error(`${command} ${args.join(" ")} exited ${result.status}`);
  return (performance.now() - start) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

let sum = 0;
console.log(`offline preview, median of ${RUNS} runs after one warm-up:`);
for (const stack of ["dev", "staging", "prod"]) {
  const cli = [join("dist", "tools", "preview", "cli.js"), stack];
  wallSeconds(process.execPath, cli);
  const times = Array.from({ length: RUNS }, () => wallSeconds(process.execPath, cli));
  sum += median(times);
  console.log(`  ${stack.padEnd(8)} ${median(times).toFixed(3)} s   (min ${Math.min(...times).toFixed(3)}, max ${Math.max(...times).toFixed(3)})`);
}
console.log(`  sum      ${sum.toFixed(3)} s`);
const cli = [join("dist", "tools", "preview", "cli.js"), "dev", "staging", "prod"];
const together = Array.from({ length: RUNS }, () => wallSeconds(process.execPath, cli));
console.log(`  all three in one process (as CI runs them): ${median(together).toFixed(3)} s (min ${Math.min(...together).toFixed(3)})`);
if (process.env["BENCH_SKIP_TESTS"] !== "1") {
  console.log(`npm test: ${wallSeconds("npm", ["test"]).toFixed(1)} s`);
}
