/**
 * The bootstrap's config, read once and validated before any resource is declared. Every problem is
 * reported with its key, the value and what is allowed; all of them at once.
 */
import type { PlatformFootprint } from "./footprint";

export const PROJECT = "highmem-bootstrap";

/** One platform stack the bootstrap makes CI roles for. */
export interface EnvironmentSpec {
  /** The platform stack (dev, staging, prod). */
  readonly stack: string;
  /** The stack's name prefix (the platform's namePrefix; "hm-<stack>" by default). */
  readonly namePrefix: string;
  /** Every region the stack declares resources in. */
  readonly regions: readonly string[];
}

export interface BootstrapConfig {
  readonly accountId: string;
  /** Region of the state bucket and the secrets key (aws:region). */
  readonly region: string;
  readonly githubOwner: string;
  readonly githubRepo: string;
  readonly stateBucketName: string;
  /** The platform's Pulumi project, whose stacks' state the roles may use. */
  readonly platformProject: string;
  readonly environments: readonly EnvironmentSpec[];
  /** An IAM OIDC provider for GitHub that already exists in the account (one per URL per account). */
  readonly existingOidcProviderArn?: string;
}

export interface ConfigProblem {
  readonly key: string;
  readonly value?: unknown;
  readonly message: string;
}

export class BootstrapConfigError extends Error {
  override name = "BootstrapConfigError";
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(
      `invalid bootstrap config:\n${problems.map((p) => `  ${p.key}${p.value === undefined ? "" : ` = ${JSON.stringify(p.value)}`}: ${p.message}`).join("\n")}`,
    );
  }
}

const ACCOUNT = /^\d{12}$/;
// GitHub: owner names are alphanumeric with single hyphens, at most 39 characters; repository names
// letters, digits, ".", "-" and "_", at most 100.
const OWNER = /^[A-Za-z0-9](?:-?[A-Za-z0-9]){0,38}$/;
const REPO = /^[A-Za-z0-9._-]{1,100}$/;
// S3 general purpose bucket naming rules: 3-63 characters, lowercase letters, digits, "." and "-",
// beginning and ending with a letter or digit (Amazon S3 user guide, "Bucket naming rules").
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d$/;
const STACK = /^[A-Za-z0-9_.-]{1,100}$/;
const PREFIX = /^[a-z][a-z0-9-]*[a-z0-9]$/;
const OIDC_ARN = /^arn:aws[a-z-]*:iam::\d{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function parseJson(text: string | undefined): unknown {
  if (text === undefined || text === "") return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

/** Validates the flat config map the Pulumi CLI hands the program ("<namespace>:<key>" -> text). */
export function parseBootstrapConfig(config: Readonly<Record<string, string>>): BootstrapConfig {
  const problems: ConfigProblem[] = [];
  const key = (k: string) => `${PROJECT}:${k}`;
  const text = (k: string, rule: RegExp, allowed: string, optional = false): string => {
    const value = config[k.includes(":") ? k : key(k)];
    if (value === undefined || value === "") {
      if (!optional) problems.push({ key: k, message: `is required: ${allowed}` });
      return "";
    }
    if (!rule.test(value)) problems.push({ key: k, value, message: allowed });
    return value;
  };

  const accountId = text("accountId", ACCOUNT, "an AWS account id: 12 digits");
  const region = text("aws:region", REGION, "an AWS region such as us-west-2");
  const githubOwner = text("githubOwner", OWNER, "a GitHub user or organization name (letters, digits, single hyphens; at most 39)");
  const githubRepo = text("githubRepo", REPO, "a GitHub repository name (letters, digits, '.', '-', '_')");
  const stateBucketName = text(
    "stateBucketName",
    BUCKET,
    "an S3 bucket name: 3-63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit",
  );
  const platformProject = config[key("platformProject")] || "highmem-platform";
  const existingOidcProviderArn = text(
    "existingOidcProviderArn",
    OIDC_ARN,
    "the ARN of this account's IAM OIDC provider for token.actions.githubusercontent.com",
    true,
  );
  if (existingOidcProviderArn && accountId && !existingOidcProviderArn.includes(`::${accountId}:`)) {
    problems.push({ key: "existingOidcProviderArn", value: existingOidcProviderArn, message: `must be in the account ${accountId}` });
  }

  const environments: EnvironmentSpec[] = [];
  const raw = parseJson(config[key("environments")]);
  if (!Array.isArray(raw) || raw.length === 0) {
    problems.push({ key: "environments", value: raw, message: "is required: a list of { stack, namePrefix, regions } for each platform stack" });
  } else {
    raw.forEach((item: unknown, i) => {
      const at = `environments[${i}]`;
      if (!isRecord(item)) return problems.push({ key: at, value: item, message: "must be a map { stack, namePrefix, regions }" });
      const { stack, namePrefix, regions } = item;
      for (const extra of Object.keys(item).filter((k) => !["stack", "namePrefix", "regions"].includes(k)))
        problems.push({ key: `${at}.${extra}`, message: "unknown key; allowed: stack, namePrefix, regions" });
      if (typeof stack !== "string" || !STACK.test(stack))
        problems.push({ key: `${at}.stack`, value: stack, message: "a Pulumi stack name (letters, digits, '-', '_', '.')" });
      if (typeof namePrefix !== "string" || !PREFIX.test(namePrefix))
        problems.push({ key: `${at}.namePrefix`, value: namePrefix, message: "lowercase letters, digits and hyphens, starting with a letter" });
      const regionList = Array.isArray(regions) ? regions : [];
      if (regionList.length === 0 || !regionList.every((r) => typeof r === "string" && REGION.test(r)))
        problems.push({ key: `${at}.regions`, value: regions, message: "a non-empty list of AWS regions" });
      if (typeof stack === "string" && typeof namePrefix === "string")
        environments.push({ stack, namePrefix, regions: regionList.filter((r): r is string => typeof r === "string") });
    });
    const seen = new Set<string>();
    for (const e of environments) {
      if (seen.has(e.stack)) problems.push({ key: "environments", value: e.stack, message: "names a stack twice" });
      seen.add(e.stack);
    }
    // A prefix inside another would let one stack's role match the other's names (hm-prod-* covers hm-prod-eu-*).
    for (const a of environments)
      for (const b of environments) {
        if (a !== b && b.namePrefix.startsWith(`${a.namePrefix}-`))
          problems.push({
            key: "environments",
            value: [a.namePrefix, b.namePrefix],
            message: `prefix ${b.namePrefix} starts with ${a.namePrefix}-: ${a.stack}'s roles would reach ${b.stack}'s resources`,
          });
      }
    for (const e of environments) {
      if (stateBucketName.startsWith(`${e.namePrefix}-`))
        problems.push({
          key: "stateBucketName",
          value: stateBucketName,
          message: `must not start with ${e.namePrefix}-: ${e.stack}'s deploy role manages every bucket named so`,
        });
    }
  }
  if (problems.length > 0) throw new BootstrapConfigError(problems);
  return {
    accountId,
    region,
    githubOwner,
    githubRepo,
    stateBucketName,
    platformProject,
    environments,
    ...(existingOidcProviderArn ? { existingOidcProviderArn } : {}),
  };
}

/** Each environment against the platform's footprint of its stack: same prefix, same regions. */
export function checkAgainstFootprints(config: BootstrapConfig, footprints: Readonly<Record<string, PlatformFootprint>>): ConfigProblem[] {
  return config.environments.flatMap((e, i): ConfigProblem[] => {
    const f = footprints[e.stack];
    if (!f)
      return [
        {
          key: `environments[${i}].stack`,
          value: e.stack,
          message: `the platform has no footprint for this stack (known: ${Object.keys(footprints).join(", ")}); regenerate platform-footprint.json`,
        },
      ];
    const problems: ConfigProblem[] = [];
    if (f.namePrefix !== e.namePrefix)
      problems.push({
        key: `environments[${i}].namePrefix`,
        value: e.namePrefix,
        message: `the platform's ${e.stack} stack names its resources ${f.namePrefix}`,
      });
    const want = [...f.regions].sort().join(", ");
    if ([...e.regions].sort().join(", ") !== want)
      problems.push({ key: `environments[${i}].regions`, value: e.regions, message: `the platform's ${e.stack} stack declares resources in ${want}` });
    return problems;
  });
}
