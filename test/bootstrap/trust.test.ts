/** The CI roles' trust: only this repository's jobs in the right GitHub environment, with AWS's audience. */
import { describe, expect, it } from "vitest";
import { environmentSubject, githubEnvironmentTrustPolicy } from "../../bootstrap/github-oidc";
import { simulateTrust as simulate } from "./oidc-simulator";

const PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
const trust = githubEnvironmentTrustPolicy(PROVIDER, "example-org", "highmem-platform", "prod");
const assume = (context: Record<string, string>) => ({
  action: "sts:AssumeRoleWithWebIdentity",
  resource: "arn:aws:iam::123456789012:role/ci/github-prod-deploy",
  principal: PROVIDER,
  context,
});
const token = (sub: string, aud = "sts.amazonaws.com") => ({ "token.actions.githubusercontent.com:sub": sub, "token.actions.githubusercontent.com:aud": aud });

describe("deploy role trust of prod, in the IAM simulator", () => {
  it.each([
    ["a job of this repository in environment prod", token("repo:example-org/highmem-platform:environment:prod"), "Allowed"],
    ["another repository of the same owner", token("repo:example-org/other-repo:environment:prod"), "ImplicitlyDenied"],
    ["a fork's owner with the same repository name", token("repo:someone-else/highmem-platform:environment:prod"), "ImplicitlyDenied"],
    ["another environment (preview-prod)", token("repo:example-org/highmem-platform:environment:preview-prod"), "ImplicitlyDenied"],
    ["another environment (staging)", token("repo:example-org/highmem-platform:environment:staging"), "ImplicitlyDenied"],
    ["a pull_request job", token("repo:example-org/highmem-platform:pull_request"), "ImplicitlyDenied"],
    ["a push to main without an environment", token("repo:example-org/highmem-platform:ref:refs/heads/main"), "ImplicitlyDenied"],
    ["another audience", token("repo:example-org/highmem-platform:environment:prod", "https://github.com/example-org"), "ImplicitlyDenied"],
    ["no audience", { "token.actions.githubusercontent.com:sub": "repo:example-org/highmem-platform:environment:prod" }, "ImplicitlyDenied"],
  ] as const)("%s", async (_case, context, decision) => {
    expect(await simulate(assume(context), trust)).toBe(decision);
  });

  it("refuses another identity provider with the right claims", async () => {
    expect(
      await simulate(
        { ...assume(token("repo:example-org/highmem-platform:environment:prod")), principal: "arn:aws:iam::123456789012:oidc-provider/gitlab.com" },
        trust,
      ),
    ).toBe("ImplicitlyDenied");
  });

  it("matches the subject exactly (StringEquals, no wildcard) and pins the audience", () => {
    const condition = trust.Statement[0]!.Condition!;
    expect(Object.keys(condition)).toEqual(["StringEquals"]);
    expect(condition["StringEquals"]).toEqual({
      "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
      "token.actions.githubusercontent.com:sub": environmentSubject("example-org", "highmem-platform", "prod"),
    });
  });
});
