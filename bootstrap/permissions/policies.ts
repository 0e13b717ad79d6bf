/**
 * The permission policies of one platform stack's CI roles, computed from what the stack declares
 * (its footprint: the resource types of its offline plan). Pure functions: the same footprint gives
 * the same documents, and a type the table does not know stops everything.
 */
import type { PolicyDocument, PolicyStatement } from "../../components/internal";
import type { PlatformFootprint } from "../footprint";
import { arnsOf, conditionOf, type Scope, type Target } from "./scope";
import { NO_AWS_PERMISSIONS, TYPE_PERMISSIONS, type Grant, type TypePermissions } from "./table";

export class UnknownResourceTypesError extends Error {
  override name = "UnknownResourceTypesError";
  constructor(readonly types: readonly string[]) {
    super(
      `the platform declares resource types the bootstrap's permission table does not know: ${types.join(", ")}. ` +
        "Add each to bootstrap/permissions/table.ts with the IAM actions its create, read, update and delete call, and their source.",
    );
  }
}

/** Where the Pulumi state and the secrets key live (the bootstrap's own resources). */
export interface StateAccess {
  readonly bucketArn: string;
  readonly secretsKeyArn: string;
  /** The platform's Pulumi project name (state objects are grouped by project). */
  readonly project: string;
}

/** The table entries of a footprint's types; throws for a type the table does not know. */
export function permissionsOf(types: readonly string[]): TypePermissions[] {
  const unknown = types.filter((t) => !(t in TYPE_PERMISSIONS) && !NO_AWS_PERMISSIONS.some((n) => t.startsWith(n.prefix)));
  if (unknown.length > 0) throw new UnknownResourceTypesError([...new Set(unknown)].sort());
  return types.flatMap((t) => (TYPE_PERMISSIONS[t] ? [TYPE_PERMISSIONS[t]] : []));
}

const SERVICE_GROUPS = ["ec2", "eks", "iam", "kms", "s3"] as const;
type Group = (typeof SERVICE_GROUPS)[number] | "other";
const groupOf = (action: string): Group => {
  const service = action.split(":")[0] as Group;
  return (SERVICE_GROUPS as readonly string[]).includes(service) ? service : "other";
};

function sidOf(...parts: string[]): string {
  return parts.map((p) => p.replace(/[^A-Za-z0-9]/g, " ").replace(/(^|\s+)(\w)/g, (_m, _s, c: string) => c.toUpperCase())).join("");
}

/** Merges grants on the same target into one statement each, actions sorted and unique. */
function statementsOf(grants: readonly Grant[], s: Scope, effectSid: string): PolicyStatement[] {
  const byKey = new Map<string, { target: Target; ec2ResourceType?: string; actions: Set<string> }>();
  for (const g of grants) {
    const key = `${g.target}|${g.ec2ResourceType ?? ""}`;
    const entry = byKey.get(key) ?? { target: g.target, ...(g.ec2ResourceType ? { ec2ResourceType: g.ec2ResourceType } : {}), actions: new Set<string>() };
    for (const a of g.actions) entry.actions.add(a);
    byKey.set(key, entry);
  }
  return [...byKey.values()].map((e) => {
    const arns = arnsOf(e.target, s).map((arn) => (e.ec2ResourceType ? arn.replace(/:\*$/, `:${e.ec2ResourceType}/*`) : arn));
    const condition = conditionOf(e.target, s);
    return {
      Sid: sidOf(effectSid, e.target, e.ec2ResourceType ?? ""),
      Effect: "Allow",
      Action: [...e.actions].sort(),
      Resource: arns,
      ...(condition ? { Condition: condition } : {}),
    };
  });
}

/** Splits statements by service, so that each managed policy stays under IAM's 6,144-character limit. */
export interface NamedPolicy {
  readonly name: string;
  readonly document: PolicyDocument;
}

function byService(statements: readonly PolicyStatement[], name: (group: Group) => string): NamedPolicy[] {
  const groups = new Map<Group, PolicyStatement[]>();
  for (const st of statements) {
    const actions = ([] as string[]).concat(st.Action as string | string[]);
    for (const group of new Set(actions.map(groupOf))) {
      const mine = actions.filter((a) => groupOf(a) === group);
      groups.set(group, [...(groups.get(group) ?? []), { ...st, Action: mine }]);
    }
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([group, st]) => ({ name: name(group), document: { Version: "2012-10-17", Statement: st } }));
}

const unique = (xs: readonly string[]) => [...new Set(xs)].sort();

/** Reading (preview) or also writing (deploy) one stack's state, and using the secrets key. */
export function statePolicy(state: StateAccess, stack: string, write: boolean): PolicyDocument {
  return { Version: "2012-10-17", Statement: stateStatements(state, stack, write) };
}

function stateStatements(state: StateAccess, stack: string, write: boolean): PolicyStatement[] {
  // Pulumi's self-managed (diy) backend layout: .pulumi/meta.yaml, .pulumi/stacks/<project>/<stack>.json
  // and, per stack, .pulumi/{history,backups,locks}/.../<project>/<stack>/ (Pulumi docs, "State and
  // backends", project-scoped stacks).
  const objects = [`${state.bucketArn}/.pulumi/stacks/${state.project}/${stack}.json*`, `${state.bucketArn}/.pulumi/*/${state.project}/${stack}/*`];
  return [
    {
      Sid: "StateList",
      Effect: "Allow",
      Action: ["s3:ListBucket", "s3:GetBucketLocation"],
      Resource: [state.bucketArn],
      Condition: { StringLike: { "s3:prefix": [".pulumi/*"] } },
    },
    { Sid: "StateMeta", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`${state.bucketArn}/.pulumi/meta.yaml`] },
    { Sid: "StateObjects", Effect: "Allow", Action: write ? ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"] : ["s3:GetObject"], Resource: objects },
    // The awskms:// secrets provider encrypts and decrypts the stack's data key; SSE-KMS of the
    // state bucket needs GenerateDataKey to write and Decrypt to read.
    {
      Sid: "SecretsKey",
      Effect: "Allow",
      Action: write ? ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"] : ["kms:Decrypt"],
      Resource: [state.secretsKeyArn],
    },
  ];
}

/** What a deploy role may never do, whatever else grants it. */
export const DEPLOY_GUARD: PolicyStatement = {
  Sid: "NoUsersNoKeysNoFederation",
  Effect: "Deny",
  Action: [
    "iam:CreateUser",
    "iam:CreateAccessKey",
    "iam:UpdateAccessKey",
    "iam:CreateLoginProfile",
    "iam:UpdateLoginProfile",
    "iam:AttachUserPolicy",
    "iam:PutUserPolicy",
    "iam:AddUserToGroup",
    "iam:CreateOpenIDConnectProvider",
    "iam:UpdateOpenIDConnectProviderThumbprint",
    "iam:AddClientIDToOpenIDConnectProvider",
    "iam:DeleteOpenIDConnectProvider",
  ],
  Resource: "*",
};

/**
 * The deploy role's managed policies for one stack, one per service: what its types need, on its own
 * resources (the state policy, statePolicy, comes on top).
 */
export function deployPolicies(footprint: PlatformFootprint, s: Scope): NamedPolicy[] {
  const entries = permissionsOf(footprint.types);
  const grants = entries.flatMap((e) => [...e.read, ...e.write]);
  const statements = statementsOf(grants, s, "Deploy");
  const roleArns = arnsOf("iam-role", s);
  const ec2Creates = unique(
    grants
      .filter((g) => g.target === "ec2-new")
      .flatMap((g) => g.actions)
      .map((a) => a.replace(/^ec2:/, "")),
  );
  if (ec2Creates.length > 0) {
    // Tags given at creation are authorized as ec2:CreateTags with ec2:CreateAction (EC2 user guide,
    // "Grant permission to tag Amazon EC2 resources during creation"); later tag changes need the stack tag.
    statements.push({
      Sid: "DeployEc2TagOnCreate",
      Effect: "Allow",
      Action: ["ec2:CreateTags"],
      Resource: arnsOf("ec2-new", s),
      Condition: { StringEquals: { "ec2:CreateAction": ec2Creates, "aws:RequestTag/stack": s.stack } },
    });
    statements.push({
      Sid: "DeployEc2Retag",
      Effect: "Allow",
      Action: ["ec2:CreateTags", "ec2:DeleteTags"],
      Resource: arnsOf("ec2-owned", s),
      Condition: conditionOf("ec2-owned", s)!,
    });
  }
  const passTo = unique(entries.flatMap((e) => e.passRoleTo ?? []));
  if (passTo.length > 0) {
    statements.push({
      Sid: "DeployPassOwnRoles",
      Effect: "Allow",
      Action: ["iam:PassRole"],
      Resource: roleArns,
      Condition: { StringEquals: { "iam:PassedToService": passTo } },
    });
  }
  const managed = unique([
    ...footprint.managedPolicyArns,
    ...entries.flatMap((e) => (e.attachesManagedPolicies ?? []).map((n) => `arn:${s.partition}:iam::aws:policy/${n}`)),
  ]);
  if (managed.length > 0) {
    statements.push({
      Sid: "DeployAttachKnownManagedPolicies",
      Effect: "Allow",
      Action: ["iam:AttachRolePolicy", "iam:DetachRolePolicy"],
      Resource: roleArns,
      Condition: { ArnEquals: { "iam:PolicyARN": managed } },
    });
  }
  const linked = unique(entries.flatMap((e) => e.serviceLinkedRoles ?? []));
  if (linked.length > 0) {
    statements.push({
      Sid: "DeployServiceLinkedRoles",
      Effect: "Allow",
      Action: ["iam:CreateServiceLinkedRole"],
      Resource: [`arn:${s.partition}:iam::${s.accountId}:role/aws-service-role/*`],
      Condition: { StringEquals: { "iam:AWSServiceName": linked } },
    });
  }
  const name = (g: Group) => `${s.stack}-deploy-${g}`;
  return byService([...statements, DEPLOY_GUARD], name);
}

/** The preview role's policies for one stack: the read actions of its types only (and statePolicy). */
export function previewPolicies(footprint: PlatformFootprint, s: Scope): NamedPolicy[] {
  const grants = permissionsOf(footprint.types).flatMap((e) => e.read);
  const name = (g: Group) => `${s.stack}-preview-${g}`;
  return byService(statementsOf(grants, s, "Preview"), name);
}

/** Characters IAM counts against a managed policy's size limit (whitespace excluded). */
export const policySize = (doc: PolicyDocument): number => JSON.stringify(doc).replace(/\s/g, "").length;
