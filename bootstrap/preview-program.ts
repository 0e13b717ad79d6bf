/** The bootstrap as a program of the offline preview (tools/preview/run.ts previewStack `program`). */
import { join } from "node:path";
import { projectRoot } from "../tools/lib/project-root";
import type { PreviewProgram } from "../tools/preview/run";
import { BootstrapConfigError } from "./config";
import { loadBootstrap } from "./program";

/** The repository root: the platform's Pulumi.yaml (found from sources and from dist/ alike). */
export const PLATFORM_ROOT = projectRoot();
/** The bootstrap project's folder (its Pulumi.yaml): the preview's `root`. */
export const BOOTSTRAP_ROOT = join(PLATFORM_ROOT, "bootstrap");

export const bootstrapProgram: PreviewProgram = {
  load: async () => (await import("./program.js")).runBootstrap,
  checkConfig: (config) => {
    try {
      loadBootstrap(config);
      return [];
    } catch (error) {
      if (error instanceof BootstrapConfigError) return error.problems.map((p) => ({ ...p }));
      throw error;
    }
  },
};
