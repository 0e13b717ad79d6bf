/**
 * Wall time of the offline preview as users run it: first the fresh-clone case (no dist/, no
 * compile cache: what the first `npm run preview:offline -- dev` after `npm ci` costs), then each
 * stack warm (`node tools/run.mjs tools/preview/cli <stack>`, what the npm script runs after
 * scripts/node.sh), their sum, all three in one process, and the wall time of `npm test`. Prints
 * figures; asserts nothing. Each warm figure is the median of RUNS runs after one warm-up.
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
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
const preview = (...stacks: string[]) => [join("tools", "run.mjs"), join("tools", "preview", "cli"), ...stacks];

// The fresh clone: this process already runs from dist/, so deleting it under us is harmless (Node
// has loaded what it needs); the npm script rebuilds it and refills the cache.
rmSync(join(ROOT, "dist"), { recursive: true, force: true });
rmSync(join(ROOT, "node_modules", ".cache", "node-compile-cache"), { recursive: true, force: true });
console.log(
  `first run after npm ci (dist/ and compile cache deleted), npm run preview:offline -- dev: ${wallSeconds("npm", ["run", "--silent", "preview:offline", "--", "dev"]).toFixed(3)} s`,
);

let sum = 0;
console.log(`offline preview, median of ${RUNS} runs after one warm-up:`);
for (const stack of ["dev", "staging", "prod"]) {
  wallSeconds(process.execPath, preview(stack));
  const times = Array.from({ length: RUNS }, () => wallSeconds(process.execPath, preview(stack)));
  sum += median(times);
  console.log(`  ${stack.padEnd(8)} ${median(times).toFixed(3)} s   (min ${Math.min(...times).toFixed(3)}, max ${Math.max(...times).toFixed(3)})`);
}
console.log(`  sum      ${sum.toFixed(3)} s`);
const together = Array.from({ length: RUNS }, () => wallSeconds(process.execPath, preview("dev", "staging", "prod")));
console.log(`  all three in one process (as CI runs them): ${median(together).toFixed(3)} s (min ${Math.min(...together).toFixed(3)})`);
if (process.env["BENCH_SKIP_TESTS"] !== "1") {
  console.log(`npm test: ${wallSeconds("npm", ["test"]).toFixed(1)} s`);
}
