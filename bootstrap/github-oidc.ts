/**
 * GitHub Actions' OpenID Connect provider in IAM, and the trust policy of a role that one GitHub
 * environment of one repository may assume.
 *
 * Sources:
 * - GitHub Docs, "OpenID Connect reference" (formerly "About security hardening with OpenID
 *   Connect"): issuer https://token.actions.githubusercontent.com; for a job that references an
 *   environment the subject is `repo:ORG-NAME/REPO-NAME:environment:ENVIRONMENT-NAME` (other jobs
 *   get `repo:ORG-NAME/REPO-NAME:pull_request` or `repo:ORG-NAME/REPO-NAME:ref:refs/heads/BRANCH`,
 *   which therefore never match).
 * - GitHub Docs, "Configuring OpenID Connect in Amazon Web Services": provider URL
 *   https://token.actions.githubusercontent.com, audience sts.amazonaws.com (what
 *   aws-actions/configure-aws-credentials requests), and conditions on
 *   `token.actions.githubusercontent.com:aud` and `token.actions.githubusercontent.com:sub`.
 * - Thumbprints: the IAM API reference for CreateOpenIDConnectProvider says AWS verifies the IdP's
 *   JWKS endpoint with its library of trusted root CAs, and ThumbprintList is optional; since
 *   July 2023 IAM no longer uses the thumbprint for GitHub (aws-actions/configure-aws-credentials#763
 *   quotes the IAM console: "Your legacy thumbprint(s) ... will no longer be needed for
 *   validation"). So none is pinned here: a pinned thumbprint only goes stale.
 */
import * as pulumi from "@pulumi/pulumi";
import { OpenIdConnectProvider } from "@pulumi/aws/iam/openIdConnectProvider";
import { requireThat, type PolicyDocument } from "../components/internal";

export const GITHUB_OIDC_HOST = "token.actions.githubusercontent.com";
export const GITHUB_OIDC_AUDIENCE = "sts.amazonaws.com";

/** The `sub` claim of a job that runs in a GitHub environment. */
export const environmentSubject = (owner: string, repo: string, environment: string): string => `repo:${owner}/${repo}:environment:${environment}`;

/** Trust policy: only jobs of this repository running in this GitHub environment, with AWS's audience. */
export function githubEnvironmentTrustPolicy(providerArn: string, owner: string, repo: string, environment: string): PolicyDocument {
  return {
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "GitHubEnvironment",
        Effect: "Allow",
        Principal: { Federated: providerArn },
        Action: "sts:AssumeRoleWithWebIdentity",
        // StringEquals, not StringLike: the subject is matched exactly, no wildcard in it.
        Condition: {
          StringEquals: { [`${GITHUB_OIDC_HOST}:aud`]: GITHUB_OIDC_AUDIENCE, [`${GITHUB_OIDC_HOST}:sub`]: environmentSubject(owner, repo, environment) },
        },
      },
    ],
  };
}

export interface GithubOidcProviderArgs {
  readonly accountId: string;
  /**
   * AWS partition.
   * @default "aws"
   */
  readonly partition?: string;
  /**
   * ARN of a provider for token.actions.githubusercontent.com that already exists in the account
   * (IAM allows one per URL per account); nothing is created then.
   * @default undefined (create one)
   */
  readonly existingProviderArn?: string;
  /**
   * Tags of the provider.
   * @default {}
   */
  readonly tags?: Readonly<Record<string, string>>;
}

export class GithubOidcProvider extends pulumi.ComponentResource {
  /** ARN of the provider, for trust policies. */
  readonly providerArn: pulumi.Output<string>;

  constructor(name: string, args: GithubOidcProviderArgs, opts?: pulumi.ComponentResourceOptions) {
    super("highmem:bootstrap:GithubOidcProvider", name, {}, opts);
    const partition = args.partition ?? "aws";
    requireThat(/^\d{12}$/.test(args.accountId), "GithubOidcProvider", "accountId", args.accountId, "an AWS account id: 12 digits");
    const arn = `arn:${partition}:iam::${args.accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
    if (args.existingProviderArn !== undefined) {
      requireThat(
        args.existingProviderArn === arn,
        "GithubOidcProvider",
        "existingProviderArn",
        args.existingProviderArn,
        `the provider of this account: ${arn}`,
      );
      this.providerArn = pulumi.output(arn);
    } else {
      const provider = new OpenIdConnectProvider(
        name,
        {
          url: `https://${GITHUB_OIDC_HOST}`,
          clientIdLists: [GITHUB_OIDC_AUDIENCE],
          tags: { ...args.tags },
        },
        { parent: this },
      );
      // The provider's ARN is fixed by its URL (IAM: arn:<partition>:iam::<account>:oidc-provider/<host>);
      // taken through its id so that every role trusting it waits for it.
      this.providerArn = provider.id.apply(() => arn);
    }
    this.registerOutputs({ providerArn: this.providerArn });
  }
}
