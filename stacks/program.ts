/**
 * The stack program: read config once, validate it, compose the platform, return the outputs.
 * Shared by `pulumi up` (stacks/index.ts) and the offline preview (tools/preview).
 */
import * as pulumi from "@pulumi/pulumi";
import { loadEnvironment } from "./config/load";
import { composePlatform } from "./platform";
import { stackOutputs } from "./outputs";

export async function runStack(): Promise<Record<string, pulumi.Input<unknown>>> {
  // Validation happens before the first resource is declared: invalid config declares nothing.
  const env = loadEnvironment(pulumi.runtime.allConfig(), pulumi.getStack());
  return stackOutputs(env, composePlatform(env));
}
