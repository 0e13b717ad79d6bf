/**
 * The pure parts of a team namespace: its quota, limit range and network policy specs, computed
 * from the team's sizes, beside the component that declares them (team-namespace.ts).
 */
import type * as k8s from "@pulumi/kubernetes/types/input";

/** What a team may hold in its namespace. */
export interface TeamQuota {
  /** Memory requests and limits of all its pods together (GiB). */
  readonly memoryGiB: number;
  /** CPU requests and limits of all its pods together (vCPUs). */
  readonly cpu: number;
  /** Storage requested by its volume claims together (GiB). */
  readonly storageGiB: number;
  /** 2 MiB huge pages its pods may request together (GiB); 0 forbids them. */
  readonly hugePagesGiB: number;
  /** Object counts. */
  readonly pods: number;
  readonly persistentVolumeClaims: number;
  readonly services: number;
  readonly configMaps: number;
  readonly secrets: number;
}

export const TEAM_QUOTA_DEFAULTS = {
  hugePagesGiB: 0,
  pods: 200,
  persistentVolumeClaims: 20,
  services: 20,
  configMaps: 100,
  secrets: 100,
} as const satisfies Partial<TeamQuota>;

/**
 * ResourceQuota `spec.hard`. Resource names from kubernetes.io "Resource Quotas" (compute:
 * requests/limits.cpu and .memory, hugepages-<size>; storage: requests.storage,
 * persistentvolumeclaims; object counts: count of pods, services, services.loadbalancers,
 * services.nodeports, configmaps, secrets). Memory limits equal memory requests: the namespace is
 * sized for Guaranteed pods (requests = limits), so the two totals are one budget. Load balancers and
 * node ports are 0: a team service is reached inside the cluster; exposing one is a platform change.
 */
export function quotaHard(q: TeamQuota): Record<string, string> {
  return {
    "requests.memory": `${q.memoryGiB}Gi`,
    "limits.memory": `${q.memoryGiB}Gi`,
    "requests.cpu": String(q.cpu),
    "limits.cpu": String(q.cpu),
    "requests.storage": `${q.storageGiB}Gi`,
    persistentvolumeclaims: String(q.persistentVolumeClaims),
    "hugepages-2Mi": `${q.hugePagesGiB}Gi`,
    pods: String(q.pods),
    services: String(q.services),
    "services.loadbalancers": "0",
    "services.nodeports": "0",
    configmaps: String(q.configMaps),
    secrets: String(q.secrets),
  };
}

/** Defaults for containers that set no resources: requests = limits for memory, so they are never overcommitted. */
export const CONTAINER_DEFAULTS = { cpuRequest: "250m", cpuLimit: "1", memory: "1Gi" } as const;

/**
 * LimitRange limits: defaults for containers that set none (with limits.cpu and limits.memory in the
 * quota, a container without limits would otherwise be refused), and a per-container maximum equal to
 * the team's whole quota, so that a single high-memory pod as large as the pools allow and the team
 * may hold is admitted. A claim may be as large as the team's storage.
 * A container that sets a request but no limit gets the default limit, and is refused when its
 * request is above it (kubernetes.io "Configure Default Memory Requests and Limits for a Namespace"):
 * high-memory containers set limits = requests (Guaranteed QoS), as the workload helper does.
 */
export function limitRangeLimits(q: TeamQuota): k8s.core.v1.LimitRangeItem[] {
  return [
    {
      type: "Container",
      default: { cpu: CONTAINER_DEFAULTS.cpuLimit, memory: CONTAINER_DEFAULTS.memory },
      defaultRequest: { cpu: CONTAINER_DEFAULTS.cpuRequest, memory: CONTAINER_DEFAULTS.memory },
      max: { cpu: String(q.cpu), memory: `${q.memoryGiB}Gi` },
    },
    { type: "PersistentVolumeClaim", max: { storage: `${q.storageGiB}Gi` } },
  ];
}

/** Where the namespace's pods may talk besides each other. */
export interface EgressOptIns {
  /** Namespace of the cluster DNS (CoreDNS). */
  readonly dnsNamespace: string;
  /** Namespace whose pods may scrape the team's pods (Prometheus). */
  readonly monitoringNamespace: string;
  /** The Redis servers the team's pods may reach, when allowed. */
  readonly redis?: { readonly namespace: string; readonly podLabels: Readonly<Record<string, string>>; readonly port: number };
  /** HTTPS to addresses outside the private ranges (S3 through the VPC's gateway endpoint). */
  readonly s3: boolean;
}

/** RFC 1918 private ranges and the IPv4 link-local range: what "outside the VPC" excludes. */
export const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "169.254.0.0/16"] as const;

/** The EKS Pod Identity agent's IPv4 address and port for credential requests (EKS user guide, pod-id considerations). */
export const POD_IDENTITY_AGENT = { cidr: "169.254.170.23/32", port: 80 } as const;

const nsSelector = (name: string) => ({ matchLabels: { "kubernetes.io/metadata.name": name } });

/** The namespace's NetworkPolicies by object name: default deny both ways, then each opt-in on its own. */
export function networkPolicySpecs(o: EgressOptIns): Record<string, k8s.networking.v1.NetworkPolicySpec> {
  const all = { podSelector: {} };
  const specs: Record<string, k8s.networking.v1.NetworkPolicySpec> = {
    "default-deny": { ...all, policyTypes: ["Ingress", "Egress"] },
    "allow-same-namespace": {
      ...all,
      policyTypes: ["Ingress", "Egress"],
      ingress: [{ from: [{ podSelector: {} }] }],
      egress: [{ to: [{ podSelector: {} }] }],
    },
    // CoreDNS pods carry k8s-app=kube-dns (EKS user guide, eks-networking-add-ons: the kube-dns Service's selector).
    "allow-dns": {
      ...all,
      policyTypes: ["Egress"],
      egress: [
        {
          to: [{ namespaceSelector: nsSelector(o.dnsNamespace), podSelector: { matchLabels: { "k8s-app": "kube-dns" } } }],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
      ],
    },
    "allow-prometheus-scrape": { ...all, policyTypes: ["Ingress"], ingress: [{ from: [{ namespaceSelector: nsSelector(o.monitoringNamespace) }] }] },
    // The agent runs on the host network at a link-local address (EKS user guide, service-accounts.adoc,
    // "EKS Pod Identity considerations"). The VPC CNI's network policy agent does filter link-local
    // destinations (aws/aws-network-policy-agent#120: DENY verdicts for 169.254.169.254 under an egress
    // policy), so credentials need their own rule.
    "allow-pod-identity-agent": {
      ...all,
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: POD_IDENTITY_AGENT.cidr } }], ports: [{ protocol: "TCP", port: POD_IDENTITY_AGENT.port }] }],
    },
  };
  if (o.redis) {
    // Clients use the client port only: the cluster bus (port + 10000) is node-to-node, and the Redis
    // servers' own policy admits clients on the client port alone (redis/redis-cluster.ts).
    specs["allow-redis"] = {
      ...all,
      policyTypes: ["Egress"],
      egress: [
        {
          to: [{ namespaceSelector: nsSelector(o.redis.namespace), podSelector: { matchLabels: { ...o.redis.podLabels } } }],
          ports: [{ protocol: "TCP", port: o.redis.port }],
        },
      ],
    };
  }
  if (o.s3) {
    // The VPC reaches S3 through a gateway endpoint (network/vpc-network.ts): a route to S3's public
    // prefix list, so pods connect to S3's public addresses. An ipBlock takes CIDRs only (no prefix
    // list), and S3's ranges change (AWS ip-ranges.json), so the rule admits HTTPS to every address
    // outside the private and link-local ranges: nothing inside the VPC is opened by it.
    specs["allow-s3-https"] = {
      ...all,
      policyTypes: ["Egress"],
      egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: [...PRIVATE_RANGES] } }], ports: [{ protocol: "TCP", port: 443 }] }],
    };
  }
  return specs;
}
