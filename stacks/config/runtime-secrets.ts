/**
 * Which config keys hold secret values, as the Pulumi runtime knows them.
 *
 * The nodejs language host passes the keys whose stack values are encrypted to the program in
 * PULUMI_CONFIG_SECRET_KEYS (pulumi/pulumi@v3.248.0 sdk/nodejs/cmd/pulumi-language-nodejs/main.go,
 * constructConfigSecretKeys; the keys come from config.Map.SecureKeys, "namespace:name"). The SDK
 * keeps them in its runtime store (from that variable, or from `setAllConfig(config, secretKeys)`
 * under mocks) and answers with `isConfigSecret` (sdk/nodejs/runtime/config.ts). That function is
 * exported by @pulumi/pulumi 3.248.0 and, unchanged, 3.270.0 (runtime/config.js) but marked internal, so its type
 * declaration is stripped; it is declared here, and checked to exist at run time.
 */
import * as runtimeConfig from "@pulumi/pulumi/runtime/config";

declare module "@pulumi/pulumi/runtime/config" {
  /** True when the key's value is secret (encrypted in the stack file). */
  export function isConfigSecret(k: string): boolean;
}

export function isRuntimeConfigSecret(key: string): boolean {
  if (typeof runtimeConfig.isConfigSecret !== "function") {
    throw new Error("@pulumi/pulumi no longer exports runtime isConfigSecret: update stacks/config/runtime-secrets.ts for this SDK version");
  }
  return runtimeConfig.isConfigSecret(key);
}
