/**
 * Evaluates a GitHub OIDC trust policy with @cloud-copilot/iam-simulate (test-time only, AGPL-3.0).
 * The simulator's condition-key data knows the web identity keys of a few built-in providers only
 * (IAM's Service Authorization Reference for sts:AssumeRoleWithWebIdentity), not
 * `token.actions.githubusercontent.com:aud` and `:sub` that IAM sets for a custom OIDC provider
 * (IAM user guide, "Available keys for AWS OIDC federation": `<provider>:aud`, `<provider>:sub`), so
 * its checked entry point drops them from the request. As test/iam/simulator.ts does for KMS
 * encryption-context keys: the documents are first validated by runSimulation, which must ignore no
 * other key, then the same documents are evaluated by the core engine with the request as given.
 */
import { runSimulation, runUnsafeSimulation, type Simulation } from "@cloud-copilot/iam-simulate";
import type { Decision } from "../iam/simulator";

const GITHUB_KEY = /^token\.actions\.githubusercontent\.com:(aud|sub)$/i;

export async function simulateTrust(
  request: { readonly action: string; readonly resource: string; readonly principal: string; readonly context: Readonly<Record<string, string>> },
  trust: object,
): Promise<Decision> {
  const simulation: Simulation = {
    identityPolicies: [],
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    resourcePolicy: trust,
    request: {
      action: request.action,
      principal: request.principal,
      resource: { accountId: /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(request.resource)?.[1] ?? "123456789012", resource: request.resource },
      contextVariables: { ...request.context },
    },
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === "error") throw new Error(`the IAM simulator refused the request: ${JSON.stringify(response.errors)}`);
  const results = response.resultType === "single" ? [response.result] : response.results;
  const ignored = [...new Set(results.flatMap((r) => r.ignoredContextKeys ?? []))];
  const unexpected = ignored.filter((k) => !GITHUB_KEY.test(k));
  if (unexpected.length > 0) throw new Error(`the IAM simulator ignored context keys ${unexpected.join(", ")}: not keys of ${request.action}`);
  // The envelope of a validated policy, as test/iam/simulator.ts builds it for runUnsafeSimulation.
  const resourcePolicy = { __validated: true, policyDocument: trust, metadata: { name: "resource-policy" }, errors: [] };
  return runUnsafeSimulation({ ...simulation, resourcePolicy }, {});
}
