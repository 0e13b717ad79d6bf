/** Writes Pulumi.yaml (in the package root, where npm runs scripts) from the config key registry. */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderProjectFile } from "./lib/project-file";

writeFileSync(join(process.cwd(), "Pulumi.yaml"), renderProjectFile());
console.log("Pulumi.yaml written from stacks/config/keys.ts");
