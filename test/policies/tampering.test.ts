/**
 * The tampering classes, planted one at a time into the real prod reference plan: the whole
 * pack (every rule, the plan's own rule context) must report at least one mandatory finding naming
 * the tampered resource. A class is one row; each family adds its own.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { evaluate, RULES } from "../../policies/rules";
import type { Plan } from "../../tools/preview/plan";
import { previewStack } from "../../tools/preview/run";
import { referenceProject } from "../support/stack-configs";
import { clone, find, POD, setAt, STS, type Resources } from "./fixture-support";
import { editPolicy, siblingIngressRule } from "./fixtures-iam-network";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const RELEASE = "kubernetes:helm.sh/v3:Release";
const JOB = "kubernetes:batch/v1:Job";

/** [tampering class, family, plant it (mutating the resources), returning the URN that must be named]. */
type Tampering = [string, string, (rs: Resources) => string];

const TAMPERINGS: Tampering[] = [
  [
    "an administrator policy on a node role",
    "iam",
    (rs) => {
      const a = find(rs, "aws:iam/rolePolicyAttachment:RolePolicyAttachment", "karpenter-node-AmazonSSMManagedInstanceCore");
      a.inputs["policyArn"] = "arn:aws:iam::aws:policy/AdministratorAccess";
      return a.urn;
    },
  ],
  [
    "wildcard IAM in an inline policy",
    "iam",
    (rs) =>
      editPolicy(find(rs, ROLE_POLICY, "team-analytics-identity-data"), "policy", (s) => {
        s.push({ Effect: "Allow", Action: ["iam:*", "s3:*"], Resource: "*" });
      }),
  ],
  [
    "iam:PassRole on every role",
    "iam",
    (rs) =>
      editPolicy(find(rs, ROLE_POLICY, "karpenter-controller"), "policy", (s) => {
        s.find((x) => x["Sid"] === "PassOnlyNodeRoleToEc2")!["Resource"] = "*";
      }),
  ],
  [
    "a trust policy without a principal condition",
    "iam",
    (rs) =>
      editPolicy(find(rs, ROLE, "team-analytics-identity"), "assumeRolePolicy", (s) => {
        delete s[0]!["Condition"];
      }),
  ],
  [
    "the whole internet as two CIDR halves on the API endpoint",
    "network",
    (rs) => {
      const c = find(rs, "eks:index:Cluster");
      Object.assign(c.inputs, { endpointPublicAccess: true, publicAccessCidrs: ["0.0.0.0/1", "128.0.0.0/1"] });
      return c.urn;
    },
  ],
  [
    "SSH open to the world",
    "network",
    (rs) => {
      const r = find(rs, INGRESS_RULE);
      Object.assign(r.inputs, { cidrIpv4: "0.0.0.0/0", fromPort: 22, toPort: 22 });
      return r.urn;
    },
  ],
  [
    "SSH open to the world as two IPv6 halves in two rules of one security group",
    "network",
    (rs) => {
      const r = find(rs, INGRESS_RULE);
      Object.assign(r.inputs, { cidrIpv4: undefined, cidrIpv6: "::/1", fromPort: 22, toPort: 22 });
      siblingIngressRule(rs, "cluster-api-private-1", { cidrIpv4: undefined, cidrIpv6: "8000::/1", fromPort: 22, toPort: 22 });
      return r.urn;
    },
  ],
  [
    "a public read grant in a bucket policy",
    "data",
    (rs) => {
      const p = rs.find((r) => r.type === "aws:s3/bucketPolicy:BucketPolicy")!;
      const doc = JSON.parse(String(p.inputs["policy"])) as { Statement: unknown[] };
      doc.Statement.push({ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "arn:aws:s3:::*/*" });
      p.inputs["policy"] = JSON.stringify(doc);
      return p.urn;
    },
  ],
  [
    "a one-day log retention",
    "data",
    (rs) => {
      const g = find(rs, "aws:cloudwatch/logGroup:LogGroup", "cluster-control-plane");
      g.inputs["retentionInDays"] = 1;
      return g.urn;
    },
  ],
  [
    "versioning suspended on a bucket",
    "data",
    (rs) => {
      const v = rs.find((r) => r.type.startsWith("aws:s3/bucketVersioning"))!;
      setAt(v.inputs, "versioningConfiguration.status", "Suspended");
      return v.urn;
    },
  ],
  [
    "an added Linux capability",
    "kubernetes",
    (rs) => {
      setAt(find(rs, STS).inputs, `${POD}.containers.0.securityContext.capabilities`, { drop: ["ALL"], add: ["SYS_ADMIN"] });
      return find(rs, STS).urn;
    },
  ],
  [
    "an image from an arbitrary registry",
    "kubernetes",
    (rs) => {
      setAt(find(rs, STS).inputs, `${POD}.containers.0.image`, "registry.example.net/valkey/valkey:8.1.8-alpine");
      return find(rs, STS).urn;
    },
  ],
  [
    "a host path mounted by a team workload",
    "kubernetes",
    (rs) => {
      const job = rs.find((r) => r.type === JOB && r.name.endsWith("-reference-job"))!;
      const volumes = (job.inputs["spec"] as { template: { spec: { volumes: unknown[] } } }).template.spec.volumes;
      setAt(job.inputs, `${POD}.volumes`, [...volumes, { name: "host", hostPath: { path: "/" } }]);
      return job.urn;
    },
  ],
  [
    "a privileged container in a chart's values",
    "charts",
    (rs) => {
      const keda = rs.find((r) => r.type === RELEASE && r.name === "autoscaling-keda")!;
      setAt(keda.inputs["values"], "securityContext.operator.privileged", true);
      return keda.urn;
    },
  ],
  [
    "host networking for the Karpenter controller",
    "charts",
    (rs) => {
      const karpenter = rs.find((r) => r.type === RELEASE && r.inputs["name"] === "karpenter")!;
      setAt(karpenter.inputs["values"], "hostNetwork", true);
      return karpenter.urn;
    },
  ],
];

let plan: Plan;
beforeAll(async () => {
  plan = (await previewStack("prod", { root: referenceProject(), evaluatePolicies: () => [] })).plan;
});

describe("tamperings planted in the prod reference plan", () => {
  it("start from a plan with no mandatory finding", () => {
    expect(evaluate(plan.resources, RULES, plan.policyContext).filter((f) => f.enforcementLevel === "mandatory")).toEqual([]);
  });

  it.each(TAMPERINGS)("%s (%s) is reported as mandatory on the tampered resource", (_, __, plant) => {
    const rs = clone(plan);
    const urn = plant(rs);
    const findings = evaluate(rs, RULES, plan.policyContext).filter((f) => f.enforcementLevel === "mandatory" && f.urn === urn);
    expect(findings.map((f) => `${f.policy}: ${f.message}`).length, urn).toBeGreaterThan(0);
  });
});
