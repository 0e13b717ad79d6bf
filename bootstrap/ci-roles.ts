/**
 * The two CI roles of one platform stack: a preview role (read-only) that the stack's preview
 * environment may assume, and a deploy role that its deploy environment may assume, each with the
 * permissions computed from the stack's footprint (permissions/policies.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { Policy } from "@pulumi/aws/iam/policy";
import { Role } from "@pulumi/aws/iam/role";
import { RolePolicyAttachment } from "@pulumi/aws/iam/rolePolicyAttachment";
import { policyJson, requireThat, withDefaults, type Resolved } from "../components/internal";
import type { PlatformFootprint } from "./footprint";
import { githubEnvironmentTrustPolicy } from "./github-oidc";
import { deployPolicies, previewPolicies, statePolicy, type NamedPolicy } from "./permissions/policies";
import type { Scope } from "./permissions/scope";

export interface StackRolesArgs {
  /** The platform stack's footprint (platform-footprint.json). */
  readonly footprint: PlatformFootprint;
  readonly accountId: string;
  readonly githubOwner: string;
  readonly githubRepo: string;
  /** ARN of GitHub's OIDC provider in the account. */
  readonly oidcProviderArn: pulumi.Input<string>;
  /**
   * AWS partition.
   * @default "aws"
   */
  readonly partition?: string;
  /**
   * GitHub environment whose jobs may assume the preview role.
   * @default "preview-<stack>"
   */
  readonly previewEnvironment?: string;
  /**
   * GitHub environment whose jobs may assume the deploy role.
   * @default "<stack>"
   */
  readonly deployEnvironment?: string;
  /**
   * IAM path of the roles and policies: outside every stack's name prefix, so that no deploy role
   * can reach them.
   * @default "/ci/"
   */
  readonly path?: string;
  /**
   * Longest session, in seconds (a prod deploy with a cluster upgrade can take over an hour).
   * @default 7200
   */
  readonly maxSessionDuration?: number;
  /**
   * Tags of every resource.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

const DEFAULTS = { partition: "aws", path: "/ci/", maxSessionDuration: 7200, tags: {} } as const;

export class StackRoles extends pulumi.ComponentResource {
  readonly previewRoleArn: pulumi.Output<string>;
  readonly deployRoleArn: pulumi.Output<string>;
  readonly previewRoleName: string;
  readonly deployRoleName: string;
  private readonly previewRole: Role;
  private readonly deployRole: Role;
  private readonly args: Resolved<StackRolesArgs, typeof DEFAULTS>;

  constructor(
    private readonly name: string,
    rawArgs: StackRolesArgs,
    opts?: pulumi.ComponentResourceOptions,
  ) {
    super("highmem:bootstrap:StackRoles", name, {}, opts);
    const args = withDefaults(DEFAULTS, rawArgs);
    this.args = args;
    const f = args.footprint;
    const component = "StackRoles";
    requireThat(/^\/(?:[\w+=,.@-]+\/)*$/.test(args.path), component, "path", args.path, "an IAM path such as /ci/");
    requireThat(
      Number.isInteger(args.maxSessionDuration) && args.maxSessionDuration >= 3600 && args.maxSessionDuration <= 43200,
      component,
      "maxSessionDuration",
      args.maxSessionDuration,
      "3600-43200 seconds (IAM)",
    );
    requireThat(f.regions.length > 0, component, "footprint.regions", f.regions, "at least one region");
    const previewEnvironment = args.previewEnvironment ?? `preview-${f.stack}`;
    const deployEnvironment = args.deployEnvironment ?? f.stack;
    requireThat(
      previewEnvironment !== deployEnvironment,
      component,
      "previewEnvironment",
      previewEnvironment,
      "an environment other than the deploy environment",
    );
    const scope: Scope = {
      partition: args.partition,
      accountId: args.accountId,
      stack: f.stack,
      namePrefix: f.namePrefix,
      regions: f.regions,
      extraRolePrefixes: f.extraRolePrefixes,
    };
    // Computed before any resource: a type the permission table does not know throws here.
    const deploy = deployPolicies(f, scope);
    const preview = previewPolicies(f, scope);
    const role = (kind: "preview" | "deploy", environment: string, policies: readonly NamedPolicy[]) => {
      const roleName = `github-${f.stack}-${kind}`;
      const r = new Role(
        `${name}-${kind}`,
        {
          name: roleName,
          path: args.path,
          description: `GitHub Actions ${kind} of the ${f.stack} stack: ${args.githubOwner}/${args.githubRepo}, environment ${environment} only`,
          assumeRolePolicy: pulumi
            .output(args.oidcProviderArn)
            .apply((arn) => JSON.stringify(githubEnvironmentTrustPolicy(arn, args.githubOwner, args.githubRepo, environment))),
          maxSessionDuration: args.maxSessionDuration,
          tags: { ...args.tags, "platform-stack": f.stack, "ci-role": kind },
        },
        { parent: this },
      );
      for (const p of policies) this.attach(r, `github-${p.name}`, policyJson(p.document));
      return { role: r, roleName };
    };

    const p = role("preview", previewEnvironment, preview);
    const d = role("deploy", deployEnvironment, deploy);
    this.previewRole = p.role;
    this.deployRole = d.role;
    this.previewRoleArn = p.role.arn;
    this.deployRoleArn = d.role.arn;
    this.previewRoleName = p.roleName;
    this.deployRoleName = d.roleName;
    this.registerOutputs({ previewRoleArn: this.previewRoleArn, deployRoleArn: this.deployRoleArn });
  }

  /**
   * Grants both roles the stack's state and the secrets key. Separate from the constructor because
   * the key's policy names the roles (so the key comes after them) and this policy names the key.
   */
  grantState(state: { readonly bucketArn: pulumi.Input<string>; readonly secretsKeyArn: pulumi.Input<string>; readonly platformProject: string }): void {
    const stack = this.args.footprint.stack;
    const resolved = pulumi.all([state.bucketArn, state.secretsKeyArn]);
    for (const [role, kind, write] of [
      [this.previewRole, "preview", false],
      [this.deployRole, "deploy", true],
    ] as const) {
      const policy = resolved.apply(([bucketArn, secretsKeyArn]) =>
        JSON.stringify(statePolicy({ bucketArn, secretsKeyArn, project: state.platformProject }, stack, write)),
      );
      this.attach(role, `github-${stack}-${kind}-state`, policy);
    }
  }

  private attach(role: Role, policyName: string, document: pulumi.Input<string>): void {
    const a = this.args;
    const policy = new Policy(
      `${this.name}-${policyName}`,
      { name: policyName, path: a.path, policy: document, tags: { ...a.tags, "platform-stack": a.footprint.stack } },
      { parent: this },
    );
    // A customer managed policy's ARN is arn:<partition>:iam::<account>:policy<path><name>; taken
    // through its id so that the attachment waits for the policy.
    const policyArn = policy.id.apply(() => `arn:${a.partition}:iam::${a.accountId}:policy${a.path}${policyName}`);
    new RolePolicyAttachment(`${this.name}-${policyName}`, { role: role.name, policyArn }, { parent: this });
  }
}
