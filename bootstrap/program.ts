/**
 * The bootstrap program: read and validate the config, then declare GitHub's OIDC provider, the CI
 * roles of every platform stack, and the state backend. Shared by `pulumi up` (index.ts) and the
 * offline preview (preview-program.ts).
 */
import * as pulumi from "@pulumi/pulumi";
import { getCallerIdentityOutput } from "@pulumi/aws/getCallerIdentity";
import { BootstrapConfigError, checkAgainstFootprints, parseBootstrapConfig, type BootstrapConfig } from "./config";
import { loadFootprints, type PlatformFootprint } from "./footprint";
import { GithubOidcProvider } from "./github-oidc";
import { StackRoles } from "./ci-roles";
import { StateBackend } from "./state-backend";

/** The config and the footprints, validated together; throws BootstrapConfigError. */
export function loadBootstrap(config: Readonly<Record<string, string>>): { config: BootstrapConfig; footprints: Record<string, PlatformFootprint> } {
  const parsed = parseBootstrapConfig(config);
  const footprints = loadFootprints();
  const problems = checkAgainstFootprints(parsed, footprints);
  if (problems.length > 0) throw new BootstrapConfigError(problems);
  return { config: parsed, footprints };
}

export function composeBootstrap(config: BootstrapConfig, footprints: Readonly<Record<string, PlatformFootprint>>): Record<string, pulumi.Input<unknown>> {
  const tags = { project: "highmem-bootstrap", "managed-by": "pulumi" };
  // Refuse to run with credentials of another account than the config names.
  const accountId = getCallerIdentityOutput().accountId.apply((actual) => {
    if (actual !== config.accountId) throw new Error(`the bootstrap config is for account ${config.accountId}, but the credentials are of account ${actual}`);
    return actual;
  });
  const oidc = new GithubOidcProvider("github-oidc", {
    accountId: config.accountId,
    ...(config.existingOidcProviderArn ? { existingProviderArn: config.existingOidcProviderArn } : {}),
    tags,
  });
  const roles = config.environments.map(
    (e) =>
      new StackRoles(`ci-${e.stack}`, {
        footprint: footprints[e.stack]!,
        accountId: config.accountId,
        githubOwner: config.githubOwner,
        githubRepo: config.githubRepo,
        oidcProviderArn: oidc.providerArn,
        tags,
      }),
  );
  const backend = new StateBackend("pulumi", {
    bucketName: config.stateBucketName,
    accountId: config.accountId,
    region: config.region,
    deployRoleArns: roles.map((r) => r.deployRoleArn),
    previewRoleArns: roles.map((r) => r.previewRoleArn),
    tags,
  });
  for (const r of roles) r.grantState({ bucketArn: backend.bucketArn, secretsKeyArn: backend.keyArn, platformProject: config.platformProject });

  return {
    accountId,
    oidcProviderArn: oidc.providerArn,
    // Repository variables: `pulumi login` and `pulumi stack init --secrets-provider`.
    PULUMI_BACKEND_URL: backend.backendUrl,
    PULUMI_SECRETS_PROVIDER: backend.secretsProvider,
    stateBucket: backend.bucketName,
    secretsKeyArn: backend.keyArn,
    // Per platform stack, under the names the workflows read: vars.AWS_PREVIEW_ROLE_ARN in GitHub
    // environment preview-<stack>, vars.AWS_DEPLOY_ROLE_ARN in environment <stack>.
    roles: Object.fromEntries(
      config.environments.map((e, i) => [
        e.stack,
        {
          previewEnvironment: `preview-${e.stack}`,
          AWS_PREVIEW_ROLE_ARN: roles[i]!.previewRoleArn,
          deployEnvironment: e.stack,
          AWS_DEPLOY_ROLE_ARN: roles[i]!.deployRoleArn,
        },
      ]),
    ),
  };
}

export async function runBootstrap(): Promise<Record<string, pulumi.Input<unknown>>> {
  // Validation happens before the first resource is declared: invalid config declares nothing.
  const { config, footprints } = loadBootstrap(pulumi.runtime.allConfig());
  return composeBootstrap(config, footprints);
}
