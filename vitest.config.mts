import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    // Each file runs the stack program under mocks; the Pulumi runtime keeps global state, so
    // files get their own process and tests within a file run one after another.
    pool: "forks",
    fileParallelism: true,
    // GitHub's workflow parser imports its schema JSON without an import attribute, which Node
    // refuses; transformed by Vite, it loads.
    server: { deps: { inline: [/@actions\/workflow-parser/, /@actions\/expressions/] } },
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
