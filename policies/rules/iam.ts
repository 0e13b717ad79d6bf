/**
 * IAM: what identity policies allow, which AWS managed policies are attached, and who may assume a role.
 */
import { asArray, asRecord, listOf, policyStatements, type Rule, type RuleResource } from "./types";

const ROLE = "aws:iam/role:Role";
/** Resource types holding an identity policy document, and the input that holds it (pulumi-aws v7.48.0). */
const DOCUMENTS: Readonly<Record<string, string>> = {
  "aws:iam/rolePolicy:RolePolicy": "policy",
  "aws:iam/policy:Policy": "policy",
  "aws:iam/userPolicy:UserPolicy": "policy",
  "aws:iam/groupPolicy:GroupPolicy": "policy",
};
/** Resource types attaching managed policies, and the input that names them. */
const ATTACHMENTS: Readonly<Record<string, string>> = {
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": "policyArn",
  "aws:iam/userPolicyAttachment:UserPolicyAttachment": "policyArn",
  "aws:iam/groupPolicyAttachment:GroupPolicyAttachment": "policyArn",
  "aws:iam/policyAttachment:PolicyAttachment": "policyArn",
  "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive": "policyArns",
  "aws:iam/userPolicyAttachmentsExclusive:UserPolicyAttachmentsExclusive": "policyArns",
  "aws:iam/groupPolicyAttachmentsExclusive:GroupPolicyAttachmentsExclusive": "policyArns",
  [ROLE]: "managedPolicyArns",
};

/** Every identity policy document of a resource: its policy, or a role's inlinePolicies. */
export function documentsOf(r: RuleResource): unknown[] {
  if (r.type === ROLE) return asArray(r.inputs["inlinePolicies"]).map((p) => asRecord(p)["policy"]);
  const key = DOCUMENTS[r.type];
  return key ? [r.inputs[key]] : [];
}
const DOCUMENT_TYPES = [...Object.keys(DOCUMENTS), ROLE];

/** Whether an IAM action pattern (wildcards * and ?, case-insensitive) matches the action. */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );
  return re.test(action);
}

const allows = (s: Record<string, unknown>) => s["Effect"] === "Allow";
const onEverything = (s: Record<string, unknown>) => listOf(s["Resource"]).includes("*") || s["NotResource"] !== undefined;
const actions = (s: Record<string, unknown>) => listOf(s["Action"]).filter((a): a is string => typeof a === "string");

/** Findings over every Allow statement of every document of the resource. */
function statementFindings(r: RuleResource, find: (s: Record<string, unknown>) => string | undefined): string | undefined {
  const found = documentsOf(r)
    .flatMap((d) => policyStatements(d))
    .filter(allows)
    .map(find)
    .filter((m): m is string => m !== undefined);
  return found.length > 0 ? [...new Set(found)].join("; ") : undefined;
}

/**
 * AWS managed policies that make a principal an administrator or nearly so, in any partition:
 * AdministratorAccess and IAMFullAccess (Checkov CKV_AWS_274, CKV2_AWS_56), and PowerUserAccess,
 * which allows NotAction [iam:*, organizations:*, account:*] on "*" (AWS Managed Policy Reference,
 * PowerUserAccess, policy version v12).
 */
export const ADMIN_MANAGED_POLICIES = ["AdministratorAccess", "PowerUserAccess", "IAMFullAccess"];
const adminManagedPolicy = (arn: string) => new RegExp(`^arn:[a-z-]+:iam::aws:policy/(?:[\\w+=,.@-]+/)*(${ADMIN_MANAGED_POLICIES.join("|")})$`).exec(arn)?.[1];

/** Condition keys of a statement that narrow it: positive operators only (no Not*, no *IfExists, no Null), not a lone "*". */
function narrowingKeys(s: Record<string, unknown>): string[] {
  return Object.entries(asRecord(s["Condition"])).flatMap(([operator, block]) =>
    /Not|IfExists$|^Null$/.test(operator)
      ? []
      : Object.entries(asRecord(block))
          .filter(([, v]) => listOf(v).some((x) => typeof x === "string" && x !== "*" && x !== ""))
          .map(([k]) => k.toLowerCase()),
  );
}

/** Accepted narrowing keys for a trust to a whole account (IAM User Guide, "Access to AWS accounts owned by third parties"). */
const ACCOUNT_NARROWING = ["sts:externalid", "aws:principalarn", "aws:principalorgid", "aws:principalorgpaths"];
/**
 * Service principals for which AWS documents the condition that binds the role to its caller:
 * - eks.amazonaws.com: aws:SourceArn or aws:SourceAccount ("Cross-service confused deputy prevention
 *   in Amazon EKS", EKS User Guide, added 2025-08-19: "Amazon EKS accepts the aws:SourceArn and
 *   aws:SourceAccount conditions in the trust policy of an EKS cluster role");
 * - pods.eks.amazonaws.com: the session tags Pod Identity sets, naming the cluster, namespace and
 *   service account ("Create IAM role with trust policy required by EKS Pod Identity", Setting
 *   conditions); without them any association in the account could use the role.
 * Other services (ec2.amazonaws.com instance roles among them) document no such condition for their
 * trust, so none is demanded.
 */
const SERVICE_NARROWING: Readonly<Record<string, readonly (readonly string[])[]>> = {
  "eks.amazonaws.com": [["aws:sourcearn", "aws:sourceaccount"]],
  "pods.eks.amazonaws.com": [
    ["aws:requesttag/eks-cluster-arn", "aws:requesttag/eks-cluster-name"],
    ["aws:requesttag/kubernetes-namespace"],
    ["aws:requesttag/kubernetes-service-account"],
  ],
};

/** What an Allow statement of a trust policy lacks to name who may assume the role, if anything. */
export function trustGap(s: Record<string, unknown>): string | undefined {
  const keys = narrowingKeys(s);
  const has = (k: string) => keys.includes(k);
  const principal = s["Principal"];
  if (principal === "*") return keys.length > 0 ? undefined : "Principal * without a condition";
  const p = asRecord(principal);
  for (const fed of listOf(p["Federated"]).filter((f): f is string => typeof f === "string")) {
    // OIDC: IAM User Guide, "Create a role for OpenID Connect federation": conditions on the
    // provider's :aud and :sub keys name the audience and the subject (repository, service account).
    const oidc = /:oidc-provider\/(.+)$/.exec(fed)?.[1];
    if (oidc) {
      const missing = ["aud", "sub"].filter((k) => !has(`${oidc.toLowerCase()}:${k}`));
      if (missing.length > 0) return `the OIDC provider ${oidc} is trusted without a condition on ${missing.map((k) => `${oidc}:${k}`).join(" and ")}`;
    } else if (/:saml-provider\//.test(fed)) {
      if (!has("saml:aud")) return `the SAML provider ${fed} is trusted without a SAML:aud condition`;
    } else if (keys.length === 0) return `the federated principal ${fed} is trusted without a condition`;
  }
  for (const aws of listOf(p["AWS"]).filter((a): a is string => typeof a === "string")) {
    if (aws === "*" && keys.length === 0) return "Principal AWS * without a condition";
    const wholeAccount = aws === "*" || /^\d{12}$/.test(aws) || /^arn:[a-z-]+:iam::\d{12}:root$/.test(aws);
    if (wholeAccount && !ACCOUNT_NARROWING.some(has) && !keys.some((k) => k.startsWith("aws:principaltag/")))
      return `${aws} (a whole account) is trusted without sts:ExternalId, aws:PrincipalArn, aws:PrincipalOrgID or a principal tag condition`;
  }
  for (const service of listOf(p["Service"]).filter((x): x is string => typeof x === "string")) {
    const missing = (SERVICE_NARROWING[service] ?? []).filter((anyOf) => !anyOf.some(has));
    if (missing.length > 0) return `${service} is trusted without a condition on ${missing.map((m) => m.join(" or ")).join(", ")}`;
  }
  return undefined;
}

export const IAM_RULES: readonly Rule[] = [
  {
    kind: "resource",
    id: "iam-no-admin-statements",
    enforcementLevel: "mandatory",
    family: "iam",
    sources: [
      { standard: "aws-fsbp", control: "IAM.1" },
      { standard: "cis-aws", control: "1.16" },
      { standard: "checkov", control: "CKV_AWS_62" },
      { standard: "checkov", control: "CKV_AWS_63" },
      { standard: "kics", control: "2f37c4a3-58b9-4afe-8a87-d7f1d2286f84" },
      { standard: "kics", control: "575a2155-6af1-4026-b1af-d5bc8fe2a904" },
    ],
    resourceTypes: DOCUMENT_TYPES,
    description:
      'No identity policy (managed, inline, or a role\'s inlinePolicies) allows action "*" (on any resource), or NotAction (everything but a list) on resource "*".',
    check: (r) =>
      statementFindings(r, (s) => {
        if (actions(s).some((a) => a === "*" || a === "*:*")) return `a statement allows action "*" on ${JSON.stringify(s["Resource"] ?? s["NotResource"])}`;
        return s["NotAction"] !== undefined && onEverything(s) ? 'a statement allows NotAction (everything but a list) on "*"' : undefined;
      }),
  },
  {
    kind: "resource",
    id: "iam-no-service-wildcard-actions",
    enforcementLevel: "mandatory",
    family: "iam",
    sources: [
      { standard: "aws-fsbp", control: "IAM.21" },
      { standard: "checkov", control: "CKV2_AWS_40" },
    ],
    resourceTypes: DOCUMENT_TYPES,
    description: 'No identity policy allows every action of a service ("iam:*", "s3:*", any "<service>:*"); prefixes such as "ec2:Describe*" are fine.',
    check: (r) =>
      statementFindings(r, (s) => {
        const whole = actions(s).filter((a) => /^[a-z0-9-]+:\*+$/i.test(a));
        return whole.length > 0 ? `a statement allows every action of ${whole.join(", ")}` : undefined;
      }),
  },
  {
    kind: "resource",
    id: "iam-passrole-scoped",
    enforcementLevel: "mandatory",
    family: "iam",
    sources: [{ standard: "aws-docs", control: "IAM User Guide: Grant a user permissions to pass a role to an AWS service" }],
    resourceTypes: DOCUMENT_TYPES,
    description: 'iam:PassRole (or a wildcard that includes it) is allowed only on named roles, never on resource "*".',
    check: (r) =>
      statementFindings(r, (s) => {
        if (!onEverything(s)) return undefined;
        const passing = actions(s).filter((a) => actionMatches(a, "iam:PassRole"));
        if (passing.length > 0) return `${passing.join(", ")} allows iam:PassRole on every role`;
        const excluded = listOf(s["NotAction"]).filter((a): a is string => typeof a === "string");
        return s["NotAction"] !== undefined && !excluded.some((a) => actionMatches(a, "iam:PassRole"))
          ? "a NotAction statement that does not exclude iam:PassRole allows it on every role"
          : undefined;
      }),
  },
  {
    kind: "resource",
    id: "iam-no-admin-managed-policies",
    enforcementLevel: "mandatory",
    family: "iam",
    sources: [
      { standard: "cis-aws", control: "1.16" },
      { standard: "checkov", control: "CKV_AWS_274" },
      { standard: "checkov", control: "CKV2_AWS_56" },
    ],
    resourceTypes: Object.keys(ATTACHMENTS),
    description: `No role, user or group gets an AWS managed administrator policy (${ADMIN_MANAGED_POLICIES.join(", ")}) in any partition.`,
    check: (r) => {
      const names = listOf(r.inputs[ATTACHMENTS[r.type]!])
        .flatMap((v) => (Array.isArray(v) ? v : [v]))
        .filter((a): a is string => typeof a === "string")
        .map(adminManagedPolicy)
        .filter((n): n is string => n !== undefined);
      return names.length > 0 ? `attaches the AWS managed ${names.join(", ")}` : undefined;
    },
  },
  {
    kind: "resource",
    id: "iam-no-public-trust",
    enforcementLevel: "mandatory",
    family: "iam",
    sources: [
      { standard: "checkov", control: "CKV_AWS_60" },
      { standard: "kics", control: "12b7e704-37f0-4d1e-911a-44bf60c48c21" },
    ],
    resourceTypes: [ROLE],
    description: "No role can be assumed by everyone (Principal * or AWS * without a condition).",
    check: (r) =>
      policyStatements(r.inputs["assumeRolePolicy"]).some((s) => {
        if (!allows(s) || s["Condition"] !== undefined) return false;
        return s["Principal"] === "*" || listOf(asRecord(s["Principal"])["AWS"]).includes("*");
      })
        ? "the trust policy allows Principal * without a condition"
        : undefined,
  },
  {
    kind: "resource",
    id: "iam-trust-conditioned",
    enforcementLevel: "mandatory",
    family: "iam",
    sources: [
      { standard: "aws-docs", control: "IAM User Guide: The confused deputy problem" },
      { standard: "aws-docs", control: "EKS User Guide: Cross-service confused deputy prevention in Amazon EKS" },
      { standard: "aws-docs", control: "EKS User Guide: Create IAM role with trust policy required by EKS Pod Identity" },
      { standard: "aws-docs", control: "IAM User Guide: Create a role for OpenID Connect federation" },
    ],
    resourceTypes: [ROLE],
    description:
      "Every trust statement names who may assume the role: OIDC providers with :aud and :sub conditions, SAML with SAML:aud, whole accounts with sts:ExternalId or a principal ARN/organization condition, the EKS service with aws:SourceArn/SourceAccount, Pod Identity with the cluster, namespace and service-account session tags.",
    check: (r) => {
      const gaps = policyStatements(r.inputs["assumeRolePolicy"])
        .filter(allows)
        .map(trustGap)
        .filter((g): g is string => g !== undefined);
      return gaps.length > 0 ? gaps.join("; ") : undefined;
    },
  },
];
