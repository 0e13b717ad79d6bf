/** Rewrites the generated sections of README.md (config reference, pool instance tables). */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  renderConfigReference,
  renderMonitoring,
  renderPolicyRules,
  renderPoolKinds,
  renderPoolTables,
  renderStackRules,
  replaceSection,
} from "./lib/readme-sections";

const root = process.cwd();
const path = join(root, "README.md");
let readme = readFileSync(path, "utf8");
readme = replaceSection(readme, "config-reference", renderConfigReference());
readme = replaceSection(readme, "pool-kinds", renderPoolKinds());
readme = replaceSection(readme, "pool-instance-types", renderPoolTables(root, ["dev", "staging", "prod"]));
readme = replaceSection(readme, "policy-rules", renderPolicyRules());
readme = replaceSection(readme, "policy-stack-rules", renderStackRules());
readme = replaceSection(readme, "monitoring", renderMonitoring());
writeFileSync(path, readme);
console.log("README.md sections regenerated");
