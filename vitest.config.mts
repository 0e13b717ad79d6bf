import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // Each file runs the stack program under mocks; the Pulumi runtime keeps global state, so
    // files get their own process and tests within a file run one after another. Set explicitly:
    // vitest 5 prints an "isolate: false would be faster" hint unless isolate was chosen
    // (vitest 5.1.1 CLI help, --experimental.diagnostics: "Hints never suggest changing options that
    // were set explicitly").
    pool: "forks",
    isolate: true,
    // The files are independent (temp folders, random free ports), so they run side by side.
    // Vitest's default outside watch mode is one core fewer than available (vitest 5.1.1
    // getDefaultMaxWorkers: availableParallelism() - 1): a single worker on two cores. The longest
    // files mostly wait on child processes (redis-server and valkey-server moving slots, promtool,
    // npm pack), so two workers per core overlap those waits: on this project's 2-core machine the
    // suite took 245 s with 2 workers and 185 s with 4 (measured 2026-11-23).
    fileParallelism: true,
    maxWorkers: availableParallelism() * 2,
    // GitHub's workflow parser imports its schema JSON without an import attribute, which Node (24
    // too) refuses, so Vite must process it. Pre-bundled by Vite's dependency optimizer
    // (https://vitest.dev/config/deps#deps-optimizer) rather than inlined module by module
    // (server.deps.inline): inlining made Vite read each module's own .js.map, whose ../src sources
    // the package does not ship, and warn "Sourcemap for ... points to missing source files" for
    // every module (vite 8.3 dist/node/chunks/node.js, injectSourcesContent). The bundle has one
    // map of its own; no log is filtered, so real warnings and errors still show.
    deps: { optimizer: { ssr: { enabled: true, include: ["@actions/workflow-parser", "@actions/expressions"] } } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
