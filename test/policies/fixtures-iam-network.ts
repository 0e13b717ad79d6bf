/** Fixtures of the IAM and network rules: each plants one tampering into a real resource of a reference plan. */
import { find, type Editable, type Fixture, type Resources } from "./fixture-support";

const ROLE = "aws:iam/role:Role";
const ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy";
const ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment";
const CLUSTER = "eks:index:Cluster";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";

type Statement = Record<string, unknown>;
/** Edits the statements of a JSON policy input in place. */
export function editPolicy(r: Editable, key: string, edit: (statements: Statement[]) => void): string {
  const doc = JSON.parse(String(r.inputs[key])) as { Statement: Statement[] };
  edit(doc.Statement);
  r.inputs[key] = JSON.stringify(doc);
  return r.urn;
}
const addStatement = (rs: Resources, type: string, name: string, statement: Statement) => editPolicy(find(rs, type, name), "policy", (s) => s.push(statement));

/** A second ingress rule of the same security group as the platform's own, as a team would add it. */
export function siblingIngressRule(rs: Resources, name: string, inputs: Record<string, unknown>): Editable {
  const original = find(rs, INGRESS_RULE);
  const sibling: Editable = { ...structuredClone(original), name, urn: original.urn.replace(/::[^:]+$/, `::${name}`) };
  Object.assign(sibling.inputs, inputs);
  rs.push(sibling);
  return sibling;
}

export const IAM_NETWORK_FIXTURES: Fixture[] = [
  // IAM: identity policies.
  [
    "iam-no-admin-statements",
    "prod",
    (rs) => addStatement(rs, ROLE_POLICY, "team-analytics-identity-data", { Effect: "Allow", NotAction: "iam:*", Resource: "*" }),
  ],
  [
    "iam-no-admin-statements",
    "prod",
    (rs) => {
      const role = find(rs, ROLE, "karpenter-node");
      role.inputs["inlinePolicies"] = [
        { name: "debug", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["*"], Resource: ["*"] }] }) },
      ];
      return role.urn;
    },
  ],
  [
    "iam-no-service-wildcard-actions",
    "prod",
    (rs) => addStatement(rs, ROLE_POLICY, "redis-backup-identity-data", { Effect: "Allow", Action: "s3:*", Resource: "*" }),
  ],
  [
    "iam-no-service-wildcard-actions",
    "dev",
    (rs) => addStatement(rs, ROLE_POLICY, "karpenter-controller", { Effect: "Allow", Action: ["ec2:Describe*", "IAM:*"], Resource: "*" }),
  ],
  [
    "iam-passrole-scoped",
    "prod",
    (rs) =>
      editPolicy(find(rs, ROLE_POLICY, "karpenter-controller"), "policy", (s) => {
        s.find((x) => x["Sid"] === "PassOnlyNodeRoleToEc2")!["Resource"] = "*";
      }),
  ],
  ["iam-passrole-scoped", "dev", (rs) => addStatement(rs, ROLE_POLICY, "karpenter-controller", { Effect: "Allow", Action: "iam:Pass*", Resource: ["*"] })],
  [
    "iam-no-admin-managed-policies",
    "prod",
    (rs) => {
      const a = find(rs, ATTACHMENT, "karpenter-node-AmazonSSMManagedInstanceCore");
      a.inputs["policyArn"] = "arn:aws-us-gov:iam::aws:policy/AdministratorAccess";
      return a.urn;
    },
  ],
  [
    "iam-no-admin-managed-policies",
    "dev",
    (rs) => {
      const role = find(rs, ROLE, "cluster-system-role");
      role.inputs["managedPolicyArns"] = ["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy", "arn:aws-cn:iam::aws:policy/PowerUserAccess"];
      return role.urn;
    },
  ],
  // IAM: trust policies.
  [
    "iam-trust-conditioned",
    "prod",
    (rs) =>
      editPolicy(find(rs, ROLE, "team-analytics-identity"), "assumeRolePolicy", (s) => {
        delete s[0]!["Condition"];
      }),
  ],
  [
    "iam-trust-conditioned",
    "prod",
    (rs) =>
      editPolicy(find(rs, ROLE, "karpenter-controller"), "assumeRolePolicy", (s) => {
        const c = s[0]!["Condition"] as { StringEquals: Record<string, string> };
        delete c.StringEquals["aws:RequestTag/kubernetes-service-account"];
      }),
  ],
  [
    "iam-trust-conditioned",
    "dev",
    (rs) =>
      editPolicy(find(rs, ROLE, "cluster-service"), "assumeRolePolicy", (s) => {
        delete s[0]!["Condition"];
      }),
  ],
  [
    "iam-trust-conditioned",
    "prod",
    (rs) =>
      editPolicy(find(rs, ROLE, "karpenter-node"), "assumeRolePolicy", (s) => {
        s.push({ Effect: "Allow", Principal: { AWS: "arn:aws:iam::210987654321:root" }, Action: "sts:AssumeRole" });
      }),
  ],
  [
    "iam-trust-conditioned",
    "prod",
    (rs) =>
      editPolicy(find(rs, ROLE, "redis-backup-identity"), "assumeRolePolicy", (s) => {
        const provider = "token.actions.githubusercontent.com";
        s.push({
          Effect: "Allow",
          Principal: { Federated: `arn:aws:iam::123456789012:oidc-provider/${provider}` },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: { StringEquals: { [`${provider}:aud`]: "sts.amazonaws.com" }, StringLike: { [`${provider}:sub`]: "*" } },
        });
      }),
  ],
  // Network: the API endpoint.
  [
    "eks-endpoint-not-open-to-world",
    "dev",
    (rs) => {
      const c = find(rs, CLUSTER);
      c.inputs["publicAccessCidrs"] = ["0.0.0.0/1", "128.0.0.0/1"];
      return c.urn;
    },
  ],
  [
    "eks-endpoint-not-open-to-world",
    "dev",
    (rs) => {
      const c = find(rs, CLUSTER);
      c.inputs["publicAccessCidrs"] = ["203.0.113.0/24", "::/1", "8000::/1"];
      return c.urn;
    },
  ],
  [
    "eks-endpoint-not-open-to-world",
    "prod",
    (rs) => {
      // Both providers default the public endpoint to on, and EKS its CIDRs to 0.0.0.0/0.
      const c = find(rs, CLUSTER);
      delete c.inputs["endpointPublicAccess"];
      delete c.inputs["publicAccessCidrs"];
      return c.urn;
    },
  ],
  // Network: security group ingress.
  [
    "sg-world-ingress-authorized-ports-only",
    "prod",
    (rs) => {
      const r = find(rs, INGRESS_RULE);
      Object.assign(r.inputs, { cidrIpv4: "0.0.0.0/0", fromPort: 443, toPort: 6443 });
      return r.urn;
    },
  ],
  [
    "sg-world-ingress-authorized-ports-only",
    "dev",
    (rs) => {
      const sg = find(rs, DEFAULT_SG);
      sg.inputs["ingress"] = [{ protocol: "-1", fromPort: 0, toPort: 0, ipv6CidrBlocks: ["::/0"] }];
      return sg.urn;
    },
  ],
  [
    "sg-no-world-admin-ports",
    "prod",
    (rs) => {
      const sg = find(rs, DEFAULT_SG);
      sg.inputs["ingress"] = [
        { protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/1"] },
        { protocol: "tcp", fromPort: 20, toPort: 25, cidrBlocks: ["128.0.0.0/1"] },
      ];
      return sg.urn;
    },
  ],
  [
    "sg-no-world-admin-ports",
    "prod",
    (rs) => {
      const r = find(rs, INGRESS_RULE);
      Object.assign(r.inputs, { ipProtocol: "-1", cidrIpv4: undefined, cidrIpv6: "2000::/3", fromPort: undefined, toPort: undefined });
      return r.urn;
    },
  ],
  [
    "default-sg-no-rules",
    "dev",
    (rs) => {
      const sg = find(rs, DEFAULT_SG);
      sg.inputs["egress"] = [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["10.0.0.0/16"] }];
      return sg.urn;
    },
  ],
  [
    "iam-passrole-scoped",
    "prod",
    (rs) => addStatement(rs, ROLE_POLICY, "storage-ebs-csi-kms", { Effect: "Allow", NotAction: ["s3:*", "iam:Create*"], Resource: "*" }),
  ],
  [
    "iam-no-admin-statements",
    "dev",
    (rs) => addStatement(rs, ROLE_POLICY, "storage-ebs-csi-kms", { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::hm-dev-data/*" }),
  ],
  [
    "sg-joined-rules-not-world",
    "prod",
    (rs) => {
      // Each half of 44.0.0.0/8 stays below the limit alone; together they open a whole public /8.
      const r = find(rs, INGRESS_RULE);
      Object.assign(r.inputs, { cidrIpv4: "44.0.0.0/9", fromPort: 22, toPort: 22 });
      siblingIngressRule(rs, "cluster-api-private-1", { cidrIpv4: "44.128.0.0/9", fromPort: 0, toPort: 1024 });
      return r.urn;
    },
  ],
];
