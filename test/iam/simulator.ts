/**
 * Evaluates IAM documents with @cloud-copilot/iam-simulate (AGPL-3.0: a test-time devDependency
 * only). A request the simulator finds malformed (unknown action, a resource type the action does
 * not take, a mistyped context key) throws instead of counting as a denial, so that a typo in a
 * test can never pass as "denied".
 */
import { runSimulation, type Simulation } from "@cloud-copilot/iam-simulate";

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
  return response.overallResult as Decision;
}
