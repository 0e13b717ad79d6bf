/**
 * Network exposure: the EKS API endpoint and security group ingress, judged by how much of the
 * public internet a set of CIDR blocks covers (cidr.ts), not by the literal "0.0.0.0/0".
 */
import { worldOpen } from "./cidr";
import { asArray, asRecord, type Rule, type RuleResource, type RuleSource, type RuleViolation } from "./types";

const EKS_COMPONENT = "eks:index:Cluster";
const EKS_CLUSTER = "aws:eks/cluster:Cluster";
const SG = "aws:ec2/securityGroup:SecurityGroup";
const DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup";
const SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
const SG_INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
/** Every resource type that can carry security group ingress (pulumi-aws v7.48.0 schema). */
export const INGRESS_TYPES = [SG, DEFAULT_SG, SG_RULE, SG_INGRESS_RULE];

/** TCP ports AWS FSBP EC2.18 authorizes for unrestricted ingress by default (authorizedTcpPorts "80, 443"). */
const AUTHORIZED_TCP_PORTS = [80, 443];

/**
 * Ports that must never be open to the world, with why: AWS FSBP EC2.19's high-risk list
 * (awsdocs/aws-security-hub-user-guide@44505b1 doc_source/ec2-controls.md: 20, 21, 22, 23, 25, 110,
 * 135, 143, 445, 1433, 1434, 3000, 3306, 3389, 4333, 5000, 5432, 5500, 5601, 8080, 8088, 8888,
 * 9200, 9300) and the Kubernetes component ports of "Ports and Protocols"
 * (kubernetes/website content/en/docs/reference/networking/ports-and-protocols.md: etcd 2379-2380,
 * kubelet 10250, kube-controller-manager 10257, kube-scheduler 10259).
 */
export const ADMIN_PORTS: readonly (readonly [number, number, string])[] = [
  [20, 21, "FTP"],
  [22, 22, "SSH"],
  [23, 23, "Telnet"],
  [25, 25, "SMTP"],
  [110, 110, "POP3"],
  [135, 135, "RPC"],
  [143, 143, "IMAP"],
  [445, 445, "CIFS"],
  [1433, 1434, "MSSQL"],
  [2379, 2380, "etcd"],
  [3000, 3000, "web development servers"],
  [3306, 3306, "MySQL"],
  [3389, 3389, "RDP"],
  [4333, 4333, "ahsp"],
  [5000, 5000, "web development servers"],
  [5432, 5432, "PostgreSQL"],
  [5500, 5500, "fcp-addr-srvr1"],
  [5601, 5601, "OpenSearch Dashboards"],
  [8080, 8080, "proxy"],
  [8088, 8088, "legacy HTTP"],
  [8888, 8888, "alternative HTTP"],
  [9200, 9200, "OpenSearch"],
  [9300, 9300, "OpenSearch"],
  [10250, 10250, "kubelet"],
  [10257, 10257, "kube-controller-manager"],
  [10259, 10259, "kube-scheduler"],
];

type Protocol = "tcp" | "udp" | "other";
/** One ingress permission: a protocol, a port range (inclusive) and the CIDR blocks it admits. */
export interface Ingress {
  readonly protocols: readonly Protocol[];
  readonly from: number;
  readonly to: number;
  readonly cidrs: readonly string[];
}

const strings = (...vs: unknown[]): string[] => vs.flatMap((v) => (Array.isArray(v) ? v : [v])).filter((c): c is string => typeof c === "string");

function ingress(protocol: unknown, fromPort: unknown, toPort: unknown, cidrs: string[]): Ingress {
  const p = String(protocol ?? "").toLowerCase();
  const all = p === "-1" || p === "all";
  const protocols: Protocol[] = all ? ["tcp", "udp", "other"] : p === "tcp" || p === "6" ? ["tcp"] : p === "udp" || p === "17" ? ["udp"] : ["other"];
  const from = typeof fromPort === "number" && fromPort >= 0 && !all ? fromPort : 0;
  const to = typeof toPort === "number" && toPort >= 0 && !all ? toPort : 65535;
  return { protocols, from, to: Math.max(from, to), cidrs };
}

/** The ingress permissions a resource declares (inline ingress blocks, or one rule). */
export function ingressOf(r: RuleResource): Ingress[] {
  const i = r.inputs;
  switch (r.type) {
    case SG:
    case DEFAULT_SG:
      return asArray(i["ingress"])
        .map(asRecord)
        .map((e) => ingress(e["protocol"], e["fromPort"], e["toPort"], strings(e["cidrBlocks"], e["ipv6CidrBlocks"])));
    case SG_RULE:
      return i["type"] === "ingress" ? [ingress(i["protocol"], i["fromPort"], i["toPort"], strings(i["cidrBlocks"], i["ipv6CidrBlocks"]))] : [];
    case SG_INGRESS_RULE:
      return [ingress(i["ipProtocol"], i["fromPort"], i["toPort"], strings(i["cidrIpv4"], i["cidrIpv6"]))];
    default:
      return [];
  }
}

/** A port range of one protocol that a union of permissions opens to the world, and why. */
export interface Exposure {
  readonly protocol: Protocol;
  readonly from: number;
  readonly to: number;
  readonly reasons: readonly string[];
}

/** Splits the ports at every rule boundary and judges the union of CIDR blocks that reach each piece. */
export function worldExposures(permissions: readonly Ingress[]): Exposure[] {
  const out: Exposure[] = [];
  for (const protocol of ["tcp", "udp", "other"] as const) {
    const mine = permissions.filter((p) => p.protocols.includes(protocol) && p.cidrs.length > 0);
    const cuts = [...new Set(mine.flatMap((p) => [p.from, p.to + 1]))].sort((a, b) => a - b);
    for (let k = 0; k + 1 < cuts.length; k++) {
      const from = cuts[k]!;
      const to = cuts[k + 1]! - 1;
      const reasons = worldOpen(mine.filter((p) => p.from <= from && p.to >= to).flatMap((p) => p.cidrs));
      if (reasons.length > 0) out.push({ protocol, from, to, reasons });
    }
  }
  return out;
}

const portText = (e: Exposure) => (e.protocol === "other" ? "non-TCP/UDP protocols" : `${e.protocol} ${e.from === e.to ? e.from : `${e.from}-${e.to}`}`);
const authorized = (e: Exposure) => e.protocol === "tcp" && AUTHORIZED_TCP_PORTS.some((p) => e.from >= p && e.to <= p);
const adminPortsIn = (e: Exposure) => (e.protocol === "other" ? [] : ADMIN_PORTS.filter(([from, to]) => e.from <= to && e.to >= from));
const describe = (e: Exposure, extra = "") => `${portText(e)}${extra} is open to ${e.reasons.join(" and ")}`;

function unauthorizedText(exposures: readonly Exposure[]): string | undefined {
  const bad = exposures.filter((e) => !authorized(e));
  return bad.length > 0 ? `${bad.map((e) => describe(e)).join("; ")}; only TCP 80 and 443 may be open to the internet` : undefined;
}
function adminText(exposures: readonly Exposure[]): string | undefined {
  const bad = exposures.filter((e) => adminPortsIn(e).length > 0);
  return bad.length > 0 ? bad.map((e) => describe(e, ` (${[...new Set(adminPortsIn(e).map(([, , name]) => name))].join(", ")})`)).join("; ") : undefined;
}

/**
 * Separate rule resources of one security group, joined: what they open together and no single one
 * opens alone. Groups are keyed by securityGroupId as the inputs give it; inline ingress of an
 * aws:ec2/securityGroup cannot be joined here (its id is an output), but a resource rule already
 * joins its own inline blocks.
 */
function joinedExposures(resources: readonly RuleResource[], judge: (es: readonly Exposure[]) => Exposure[]): RuleViolation[] {
  const groups = new Map<string, RuleResource[]>();
  for (const r of resources) {
    if (r.type !== SG_RULE && r.type !== SG_INGRESS_RULE) continue;
    const id = r.inputs["securityGroupId"];
    if (typeof id === "string" && ingressOf(r).length > 0) groups.set(id, [...(groups.get(id) ?? []), r]);
  }
  const violations: RuleViolation[] = [];
  for (const [id, members] of groups) {
    if (members.length < 2) continue;
    const alone = members.flatMap((m) => judge(worldExposures(ingressOf(m))));
    const together = judge(worldExposures(members.flatMap(ingressOf))).filter(
      (e) => !alone.some((a) => a.protocol === e.protocol && a.from <= e.from && a.to >= e.to),
    );
    for (const e of together) {
      const contributors = members.filter((m) => ingressOf(m).some((p) => p.protocols.includes(e.protocol) && p.from <= e.from && p.to >= e.to));
      for (const m of contributors) violations.push({ urn: m.urn, message: `together with ${contributors.length - 1} other rule(s) of ${id}, ${describe(e)}` });
    }
  }
  return violations;
}

const SG_SOURCES = {
  authorized: [
    { standard: "aws-fsbp", control: "EC2.18" },
    { standard: "checkov", control: "CKV_AWS_277" },
    { standard: "kics", control: "4728cd65-a20c-49da-8b31-9c08b423e4db" },
  ],
  admin: [
    { standard: "aws-fsbp", control: "EC2.13" },
    { standard: "aws-fsbp", control: "EC2.14" },
    { standard: "aws-fsbp", control: "EC2.19" },
    { standard: "cis-aws", control: "5.2" },
    { standard: "cis-aws", control: "5.3" },
    { standard: "checkov", control: "CKV_AWS_24" },
    { standard: "checkov", control: "CKV_AWS_25" },
    { standard: "kics", control: "65905cec-d691-4320-b320-2000436cb696" },
    { standard: "kics", control: "151187cb-0efc-481c-babd-ad24e3c9bc22" },
    { standard: "kics", control: "381c3f2a-ef6f-4eff-99f7-b169cda3422c" },
    { standard: "kubernetes-docs", control: "Ports and Protocols" },
  ],
} satisfies Record<string, RuleSource[]>;

/** The CIDR blocks that reach the cluster's public endpoint, or undefined when it is private. */
function endpointCidrs(r: RuleResource): string[] | undefined {
  const config = r.type === EKS_CLUSTER ? asRecord(r.inputs["vpcConfig"]) : r.inputs;
  // Both pulumi-eks v4.3.0 (ClusterArgs.endpointPublicAccess) and pulumi-aws v7.48.0
  // (ClusterVpcConfig.endpointPublicAccess) default the public endpoint to enabled, and EKS
  // defaults publicAccessCidrs to ["0.0.0.0/0"] (same schema docs).
  if (config["endpointPublicAccess"] === false) return undefined;
  const cidrs = strings(config["publicAccessCidrs"]);
  return asArray(config["publicAccessCidrs"]).length === 0 ? ["0.0.0.0/0"] : cidrs;
}

export const NETWORK_RULES: readonly Rule[] = [
  {
    kind: "resource",
    id: "eks-endpoint-not-open-to-world",
    enforcementLevel: "mandatory",
    family: "network",
    sources: [
      { standard: "cis-eks", control: "5.4.1" },
      { standard: "checkov", control: "CKV_AWS_38" },
      { standard: "kics", control: "61cf9883-1752-4768-b18c-0d57f2737709" },
    ],
    resourceTypes: [EKS_COMPONENT, EKS_CLUSTER],
    description:
      "The EKS API endpoint is private, or public only to CIDR blocks that together cover less than a /8 of public IPv4 and a /16 of public IPv6 (however the internet is split up).",
    check: (r) => {
      const cidrs = endpointCidrs(r);
      if (!cidrs) return undefined;
      const reasons = worldOpen(cidrs);
      return reasons.length > 0 ? `the public endpoint admits ${JSON.stringify(cidrs)}: ${reasons.join(" and ")}` : undefined;
    },
  },
  {
    kind: "resource",
    id: "sg-world-ingress-authorized-ports-only",
    enforcementLevel: "mandatory",
    family: "network",
    sources: SG_SOURCES.authorized,
    resourceTypes: INGRESS_TYPES,
    description:
      "Security group ingress open to the internet (the union of its CIDR blocks covering a /8 of public IPv4 or a /16 of public IPv6) is limited to TCP 80 and 443.",
    check: (r) => unauthorizedText(worldExposures(ingressOf(r))),
  },
  {
    kind: "resource",
    id: "sg-no-world-admin-ports",
    enforcementLevel: "mandatory",
    family: "network",
    sources: SG_SOURCES.admin,
    resourceTypes: INGRESS_TYPES,
    description:
      "No security group opens a remote administration, database or Kubernetes component port (SSH, RDP, the EC2.19 high-risk list, kubelet, etcd) to the internet, over TCP, UDP or all protocols.",
    check: (r) => adminText(worldExposures(ingressOf(r))),
  },
  {
    kind: "resource",
    id: "default-sg-no-rules",
    enforcementLevel: "mandatory",
    family: "network",
    sources: [
      { standard: "aws-fsbp", control: "EC2.2" },
      { standard: "cis-aws", control: "5.4" },
      { standard: "checkov", control: "CKV2_AWS_12" },
    ],
    resourceTypes: [DEFAULT_SG],
    description: "The VPC's default security group allows no traffic (no ingress, no egress rule), so that nothing placed in it by default is reachable.",
    check: (r) => {
      const rules = ["ingress", "egress"].filter((k) => asArray(r.inputs[k]).length > 0);
      return rules.length > 0 ? `the default security group declares ${rules.join(" and ")} rules` : undefined;
    },
  },
  {
    kind: "stack",
    id: "sg-joined-rules-not-world",
    enforcementLevel: "mandatory",
    family: "network",
    sources: [...SG_SOURCES.authorized, ...SG_SOURCES.admin],
    description:
      "Separate ingress rules of one security group do not together open the internet to any port but TCP 80 and 443, though each alone stays below the limit (44.0.0.0/9 in one rule, 44.128.0.0/9 in another); reported after the update, since it needs every rule of the group.",
    check: (resources) => joinedExposures(resources, (es) => es.filter((e) => !authorized(e))),
  },
];
