/**
 * Runs the real stack program under Pulumi's runtime mocks with the stack's real config file, and
 * returns the plan: every resource with its inputs and options, Kubernetes schema errors, policy
 * violations and config errors.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConfigError, loadEnvironment } from "../../stacks/config/load";
import { applyWaivers, dayOf, evaluate, RULES } from "../../policies/rules";
import { WAIVER_RULE_IDS } from "../../policies/rules/waivers";
import { validateKubernetesObjects } from "./kubernetes-schemas";
import { PlatformMocks } from "./mocks";
import type { Plan, PlanViolation } from "./plan";
import { ResourceRecorder, secretDigest, toPlain } from "./recorder";
import { loadStackConfig, loadUsage, type StackConfig, uncheckedSecretsNotice } from "./stack-file";
import { estimateCost } from "../cost/model";
import { DependencyCapture } from "./dependency-capture";
import { simulateFirstDeploy } from "./first-deploy/simulate";
import { policyContextOf } from "../../stacks/policy-context";
import type { RuleContext } from "../../policies/rules/types";

/** Checks a plan against policies. The policy pack plugs in here (tools/preview/policy-hook). */
export type PolicyEvaluator = (plan: Plan) => PlanViolation[] | Promise<PlanViolation[]>;

/** A Pulumi program the preview can run, and the config check it makes before declaring anything. */
export interface PreviewProgram {
  /** Imports the program (only once the mocks are installed) and returns its entry point. */
  readonly load: () => Promise<() => Promise<Record<string, unknown>>>;
  /** The problems the program would refuse its config for, before any resource; [] when it is valid. */
  readonly checkConfig: (config: Record<string, string>, stack: string, isSecret: (key: string) => boolean) => Plan["configErrors"];
  /** What the policy pack is told of the stack (its tier and policy settings); called only on a valid config. */
  readonly policyContext?: (config: Record<string, string>, stack: string, isSecret: (key: string) => boolean) => RuleContext;
}

/** The platform: stacks/program.ts, its config checked by stacks/config/load.ts. */
export const platformProgram: PreviewProgram = {
  load: async () => (await import("../../stacks/program.js")).runStack,
  checkConfig: (config, stack, isSecret) => {
    try {
      loadEnvironment(config, stack, { isSecret });
      return [];
    } catch (error) {
      if (error instanceof ConfigError) return error.problems.map((p) => ({ ...p }));
      throw error;
    }
  },
  policyContext: (config, stack, isSecret) => policyContextOf(loadEnvironment(config, stack, { isSecret })),
};

export interface PreviewOptions {
  /** Folder that holds Pulumi.yaml. */
  readonly root: string;
  /**
   * The program to run.
   * @default platformProgram (stacks/program.ts)
   */
  readonly program?: PreviewProgram;
  /**
   * The policy check run on the plan.
   * @default the policy pack's rules (policies/rules)
   */
  readonly evaluatePolicies?: PolicyEvaluator;
  /**
   * The day the stack's waivers are judged against (YYYY-MM-DD, UTC).
   * @default today, from the clock
   */
  readonly today?: string;
}

/**
 * The policy pack's rules over a plan: the same rules `pulumi preview --policy-pack policies` runs,
 * but those about waivers, which previewStack applies to whatever the evaluator finds.
 */
export const policyPackEvaluator: PolicyEvaluator = (plan) =>
  evaluate(
    plan.resources,
    RULES.filter((r) => !WAIVER_RULE_IDS.includes(r.id)),
    plan.policyContext,
  );

export interface PreviewResult {
  readonly plan: Plan;
  /** Kubernetes objects checked against their schemas. */
  readonly validatedObjects: number;
}

async function resolveOutputs(outputs: Record<string, unknown>): Promise<Record<string, unknown>> {
  const resolved: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(outputs)) {
    // pulumi.output resolves Outputs nested in arrays and objects too, as the engine does.
    const output: pulumi.Output<unknown> = pulumi.output<unknown>(value);
    const plain = await new Promise<unknown>((resolve) =>
      output.apply((v) => {
        resolve(v);
        return v;
      }),
    );
    resolved[key] = (await pulumi.isSecret(output)) ? { "@secret": secretDigest(plain) } : toPlain(plain);
  }
  return resolved;
}

function configErrorsOf(stackConfig: StackConfig, stack: string, program: PreviewProgram): Plan["configErrors"] {
  // What the Pulumi CLI refuses stops it before the program runs.
  if (stackConfig.problems.length > 0) return stackConfig.problems.map((p) => ({ ...p }));
  const secretKeys = new Set(stackConfig.secretKeys);
  return program.checkConfig(stackConfig.config, stack, (key) => secretKeys.has(key));
}

export async function previewStack(stack: string, options: PreviewOptions): Promise<PreviewResult> {
  const stackConfig = loadStackConfig(options.root, stack);
  // The program validates its config before declaring anything; checking first here as well keeps
  // an invalid config from starting the runtime at all.
  const program = options.program ?? platformProgram;
  const configErrors = configErrorsOf(stackConfig, stack, program);
  if (stackConfig.uncheckedSecrets.length > 0) console.warn(uncheckedSecretsNotice(stackConfig));
  if (configErrors.length > 0) {
    return {
      plan: {
        stack,
        project: stackConfig.project,
        resources: [],
        violations: [],
        schemaErrors: [],
        configErrors,
        uncheckedSecrets: stackConfig.uncheckedSecrets,
        deployFindings: [],
        outputs: {},
        policyContext: {},
      },
      validatedObjects: 0,
    };
  }
  const mocks = new PlatformMocks(stackConfig.config["aws:region"] ?? "us-east-1");
  await pulumi.runtime.setMocks(mocks, stackConfig.project, stack, false);
  const capture = new DependencyCapture();
  capture.install();
  pulumi.runtime.setAllConfig(stackConfig.config, stackConfig.secretKeys);
  const recorder = new ResourceRecorder(stackConfig.project, stack);

  // Imported only now: resource modules read the runtime settings that setMocks just installed.
  const runStack = await program.load();
  let programOutputs: Record<string, unknown> = {};
  // The SDK formats a stack trace for every internal promise (to report leaked promises); under
  // mocks that costs a fifth of the run and tells nothing. PREVIEW_STACK_TRACES=1 keeps them.
  const stackTraceLimit = Error.stackTraceLimit;
  if (!process.env["PREVIEW_STACK_TRACES"]) Error.stackTraceLimit = 0;
  try {
    await pulumi.runtime.runInPulumiStack(async () => {
      pulumi.runtime.registerStackTransformation(recorder.transformation);
      programOutputs = await runStack();
      return programOutputs;
    });
  } finally {
    await pulumi.runtime.disconnect();
    Error.stackTraceLimit = stackTraceLimit;
  }

  const resources = recorder.buildResources(mocks.registrations, capture.byKey);
  const secretKeys = new Set(stackConfig.secretKeys);
  const policyContext = program.policyContext?.(stackConfig.config, stack, (key) => secretKeys.has(key)) ?? {};
  const { errors: schemaErrors, validated } = await validateKubernetesObjects(resources);
  const plan: Plan = {
    stack,
    project: stackConfig.project,
    resources,
    violations: [],
    schemaErrors,
    configErrors: [],
    uncheckedSecrets: stackConfig.uncheckedSecrets,
    deployFindings: simulateFirstDeploy(resources),
    outputs: await resolveOutputs(programOutputs),
    policyContext,
  };
  (plan as { cost?: Plan["cost"] }).cost = estimateCost(plan, loadUsage(options.root, stack));
  const today = options.today ?? dayOf(new Date());
  const outcome = applyWaivers(await (options.evaluatePolicies ?? policyPackEvaluator)(plan), policyContext.waivers ?? [], today);
  plan.violations.push(...outcome.findings);
  (plan as { waivers?: Plan["waivers"] }).waivers = {
    today,
    active: [...outcome.active],
    expired: [...outcome.expired],
    unused: [...outcome.unused],
    waived: outcome.waived.map(({ finding, waiver }) => ({ ...finding, waiver })),
  };
  return { plan, validatedObjects: validated };
}

/**
 * True when the plan must fail the preview: invalid config, a schema error, a first-deploy finding
 * or a mandatory violation.
 */
export function planFails(plan: Plan): boolean {
  return (
    plan.configErrors.length > 0 ||
    plan.schemaErrors.length > 0 ||
    plan.deployFindings.length > 0 ||
    plan.violations.some((v) => v.enforcementLevel === "mandatory")
  );
}
