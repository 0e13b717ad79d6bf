/**
 * The first-deploy simulation: for every resource of a plan, what must exist before it is created,
 * and whether the dependency graph makes the engine create that first. The engine creates a
 * resource as soon as everything in its `dependencies` exists and guarantees no other order, so
 * "created before" means "reachable through dependencies" and nothing else.
 */
import type { PlanResource } from "../plan";
import { chartModelOf, chartName } from "./charts";
import type { DeployFinding } from "./findings";
import { nodeHosts, NODE_POOL_TYPE } from "./hosts";
import { MODELLED_ADDONS, addonCrdGroups } from "./addon-pods";
import { plannedPods } from "./pods";
import { resolveClaims } from "./claims";
import { selectorOverlaps } from "./selectors";
import type { PlannedPod } from "./pod-spec";
import { whyNot, type NodeHost } from "./scheduling";
import { at, str, stringMap } from "./values";

const CLUSTER_TYPES = new Set(["eks:index:Cluster", "aws:eks/cluster:Cluster"]);
const RELEASE_TYPE = "kubernetes:helm.sh/v3:Release";
const NAMESPACE_TYPE = "kubernetes:core/v1:Namespace";
const CRD_TYPE = "kubernetes:apiextensions.k8s.io/v1:CustomResourceDefinition";
const STORAGE_CLASS_TYPE = "kubernetes:storage.k8s.io/v1:StorageClass";
const POD_IDENTITY_TYPE = "aws:eks/podIdentityAssociation:PodIdentityAssociation";
const ACCESS_ENTRY_TYPE = "aws:eks/accessEntry:AccessEntry";
const ADDON_TYPE = "aws:eks/addon:Addon";

/** Namespaces every cluster has (Kubernetes: "Initial namespaces"). */
const BUILT_IN_NAMESPACES = new Set(["default", "kube-system", "kube-public", "kube-node-lease"]);

/** API groups the API server serves itself; any other group needs its CRD (Kubernetes API reference). */
const BUILT_IN_GROUPS = new Set([
  "core",
  "apps",
  "batch",
  "autoscaling",
  "policy",
  "networking.k8s.io",
  "rbac.authorization.k8s.io",
  "storage.k8s.io",
  "apiextensions.k8s.io",
  "admissionregistration.k8s.io",
  "scheduling.k8s.io",
  "coordination.k8s.io",
  "discovery.k8s.io",
  "node.k8s.io",
  "certificates.k8s.io",
  "events.k8s.io",
  "flowcontrol.apiserver.k8s.io",
  "apiregistration.k8s.io",
  "resource.k8s.io",
]);

/** Group of a Kubernetes API object's type token, or undefined for non-objects (providers, Helm). */
function apiGroup(type: string): string | undefined {
  const m = /^kubernetes:([^:]+)\/[^:/]+:\w+$/.exec(type);
  return m && m[1] !== "helm.sh" ? m[1] : undefined;
}

export function simulateFirstDeploy(resources: readonly PlanResource[]): DeployFinding[] {
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const before = new Map<string, ReadonlySet<string>>();
  /** Everything created before the resource: its dependencies, transitively. */
  const createdBefore = (urn: string): ReadonlySet<string> => {
    const known = before.get(urn);
    if (known) return known;
    const all = new Set<string>();
    before.set(urn, all);
    for (const d of byUrn.get(urn)?.dependencies ?? []) {
      all.add(d);
      for (const x of createdBefore(d)) all.add(x);
    }
    return all;
  };
  const findings: DeployFinding[] = [];
  const find = (check: DeployFinding["check"], urn: string, message: string) => findings.push({ check, urn, message });
  const named = (type: string, name: string | undefined) =>
    resources.filter((r) => r.type === type && (str(at(r.inputs, "metadata.name")) ?? str(r.inputs["name"])) === name);

  // The cluster before anything that acts on it.
  const clusters = resources.filter((r) => CLUSTER_TYPES.has(r.type));
  for (const r of resources) {
    const isClusterScoped = r.type.startsWith("aws:eks/") && !CLUSTER_TYPES.has(r.type) && typeof r.inputs["clusterName"] === "string";
    const isKubernetes = r.type.startsWith("kubernetes:") || r.type === "pulumi:providers:kubernetes";
    if (!isClusterScoped && !isKubernetes) continue;
    const wanted = isClusterScoped ? clusters.filter((c) => str(c.inputs["name"]) === r.inputs["clusterName"]) : clusters;
    if (wanted.length > 0 && !wanted.some((c) => createdBefore(r.urn).has(c.urn))) {
      find(
        "cluster-first",
        r.urn,
        `${r.type} ${r.name} may be created before the EKS cluster ${str(wanted[0]!.inputs["name"]) ?? wanted[0]!.name} exists: it does not depend on it (pass the cluster's outputs, or dependsOn the cluster, as a resource option)`,
      );
    }
  }

  // CRDs before custom resources and before releases whose templates create them.
  const crdProviders = (group: string) => [
    ...resources.filter((r) => r.type === CRD_TYPE && at(r.inputs, "spec.group") === group),
    ...resources.filter((r) => r.type === RELEASE_TYPE && (chartModelOf(r)?.installsCrdGroups(r.inputs["values"] ?? {}, r) ?? []).includes(group)),
    ...resources.filter((r) => r.type === ADDON_TYPE && addonCrdGroups(r).includes(group)),
  ];
  const needCrd = (r: PlanResource, group: string) => {
    const providers = crdProviders(group).filter((p) => p.urn !== r.urn);
    if (providers.some((p) => createdBefore(r.urn).has(p.urn))) return;
    const where =
      providers.length > 0
        ? `its CRD comes from ${providers.map((p) => p.name).join(", ")}, which it does not depend on`
        : "nothing in the stack installs that CRD";
    find("crd-first", r.urn, `${r.name} needs the ${group} CRDs, but ${where}`);
  };
  for (const r of resources) {
    const group = apiGroup(r.type);
    if (group && !BUILT_IN_GROUPS.has(group) && r.type !== CRD_TYPE) needCrd(r, group);
    if (r.type === RELEASE_TYPE)
      for (const g of chartModelOf(r)?.usesCrdGroups(r.inputs["values"] ?? {}) ?? []) {
        if (!(chartModelOf(r)?.installsCrdGroups(r.inputs["values"] ?? {}, r) ?? []).includes(g)) needCrd(r, g);
      }
  }

  // Namespaces before their objects and releases.
  for (const r of resources) {
    const ns =
      r.type === RELEASE_TYPE
        ? r.inputs["createNamespace"] === true
          ? undefined
          : (str(r.inputs["namespace"]) ?? "default")
        : apiGroup(r.type)
          ? str(at(r.inputs, "metadata.namespace"))
          : undefined;
    if (ns === undefined || BUILT_IN_NAMESPACES.has(ns)) continue;
    const makers = [
      ...named(NAMESPACE_TYPE, ns),
      ...resources.filter((x) => x.type === RELEASE_TYPE && x.inputs["createNamespace"] === true && x.inputs["namespace"] === ns),
    ];
    if (!makers.some((m) => createdBefore(r.urn).has(m.urn))) {
      find(
        "namespace-first",
        r.urn,
        `${r.name} goes into namespace "${ns}", which ${makers.length > 0 ? `${makers[0]!.name} creates, but not before it (add it to dependsOn)` : "nothing in the stack creates"}`,
      );
    }
  }

  // Karpenter pools: their node class, the controller, and an access entry for the node role.
  const releasesOf = (chart: string) => resources.filter((r) => r.type === RELEASE_TYPE && chartName(r) === chart);
  for (const pool of resources.filter((r) => r.type === NODE_POOL_TYPE)) {
    const seen = createdBefore(pool.urn);
    const classes = named("kubernetes:karpenter.k8s.aws/v1:EC2NodeClass", str(at(pool.inputs, "spec.template.spec.nodeClassRef.name")));
    const controllers = releasesOf("karpenter");
    if (!classes.some((c) => seen.has(c.urn)))
      find("node-access-first", pool.urn, `NodePool ${pool.name} does not depend on its EC2NodeClass: Karpenter cannot launch for it until the class exists`);
    if (!controllers.some((c) => seen.has(c.urn)))
      find("node-access-first", pool.urn, `NodePool ${pool.name} does not depend on the Karpenter controller release: nothing launches its nodes`);
    for (const nodeClass of classes) {
      const role = str(at(nodeClass.inputs, "spec.role"));
      const entries = resources.filter(
        (e) => e.type === ACCESS_ENTRY_TYPE && role !== undefined && (str(e.inputs["principalArn"]) ?? "").endsWith(`:role/${role}`),
      );
      if (!entries.some((e) => seen.has(e.urn))) {
        find(
          "node-access-first",
          pool.urn,
          `NodePool ${pool.name} may launch nodes before an EKS access entry lets role ${role ?? "(none)"} join the cluster: the nodes would never register`,
        );
      }
    }
  }

  for (const r of resources.filter((x) => x.type === ADDON_TYPE && !MODELLED_ADDONS.includes(str(x.inputs["addonName"]) ?? ""))) {
    find(
      "unknown-chart",
      r.urn,
      `EKS add-on ${str(r.inputs["addonName"])} has no pod model in tools/preview/first-deploy/addon-pods.ts: the simulation cannot tell where its pods run`,
    );
  }

  const { pods, unknownCharts } = plannedPods(resources);
  for (const r of unknownCharts)
    find(
      "unknown-chart",
      r.urn,
      `Helm chart "${chartName(r)}" has no model in tools/preview/first-deploy/charts.ts: the simulation cannot tell what it installs or where its pods run`,
    );
  const hosts = nodeHosts(resources);
  for (const pod of pods) checkPod(pod, hosts, resources, createdBefore, find);
  findings.push(...selectorOverlaps(resources));
  return findings;
}

function checkPod(
  pod: PlannedPod,
  hosts: readonly NodeHost[],
  resources: readonly PlanResource[],
  createdBefore: (urn: string) => ReadonlySet<string>,
  find: (check: DeployFinding["check"], urn: string, message: string) => void,
): void {
  const seen = createdBefore(pod.urn);
  const claims = resolveClaims(pod, resources);
  const storageClasses = [...pod.storageClasses, ...claims.storageClasses];
  if (!pod.daemon) {
    const able = hosts.filter((h) => whyNot(h, pod) === undefined);
    if (able.length === 0) {
      const reasons = hosts.map((h) => `${h.kind} ${h.name}: ${whyNot(h, pod)}`).join("; ");
      find("no-capacity", pod.urn, `${pod.description}: no node group or node pool of the stack can run its pods (${reasons || "the stack has none"})`);
    } else if (pod.awaited && !able.some((h) => seen.has(h.urn))) {
      find(
        "capacity-first",
        pod.urn,
        `${pod.description}: its pods can run only on ${able.map((h) => `${h.kind} ${h.name}`).join(" or ")}, none of which it depends on; created first, it waits for nodes until its await or Helm timeout fails the deploy`,
      );
    }
    if (storageClasses.length > 0) {
      for (const h of able.filter((x) => x.consolidates || x.expires)) {
        const how = [h.consolidates ? "consolidates underutilised nodes" : "", h.expires ? "expires nodes (forcefully, whatever the disruption budgets)" : ""]
          .filter(Boolean)
          .join(" and ");
        find(
          "stateful-placement",
          pod.urn,
          `${pod.description} keeps data on persistent volumes but may be placed on ${h.kind} ${h.name}, which ${how}; place it on a pool with consolidationPolicy WhenEmpty and expireAfter Never`,
        );
      }
    }
  }
  if (!pod.awaited) return;
  for (const className of storageClasses) {
    const classes = resources.filter(
      (r) =>
        r.type === STORAGE_CLASS_TYPE &&
        (className === ""
          ? stringMap(at(r.inputs, "metadata.annotations"))["storageclass.kubernetes.io/is-default-class"] === "true"
          : at(r.inputs, "metadata.name") === className),
    );
    const cls = classes.find((c) => seen.has(c.urn));
    if (!cls) {
      find(
        "storage-first",
        pod.urn,
        `${pod.description} claims a volume of StorageClass ${className || "(the default)"}, which ${classes.length > 0 ? "is not created before it" : "the stack does not create"}`,
      );
    } else if (str(cls.inputs["provisioner"]) === "ebs.csi.aws.com") {
      const driver = resources.filter((r) => r.type === ADDON_TYPE && r.inputs["addonName"] === "aws-ebs-csi-driver");
      if (driver.length > 0 && !driver.some((d) => seen.has(d.urn)))
        find("storage-first", pod.urn, `${pod.description} claims an EBS volume before the aws-ebs-csi-driver add-on exists`);
    }
  }
  const mountpoint = resources.filter((r) => r.type === ADDON_TYPE && r.inputs["addonName"] === "aws-mountpoint-s3-csi-driver");
  for (const { claimName, claim } of claims.s3) {
    if (!seen.has(claim.urn)) find("storage-first", pod.urn, `${pod.description} mounts S3 volume claim ${claimName}, which is not created before it`);
    if (!mountpoint.some((d) => seen.has(d.urn)))
      find(
        "storage-first",
        pod.urn,
        `${pod.description} mounts an S3 volume (${claimName}) before the aws-mountpoint-s3-csi-driver add-on exists${mountpoint.length === 0 ? " (the stack has none)" : ""}`,
      );
  }
  const associations = resources.filter(
    (r) => r.type === POD_IDENTITY_TYPE && r.inputs["namespace"] === pod.namespace && r.inputs["serviceAccount"] === pod.serviceAccount,
  );
  const podCredentialMounts = claims.s3.filter((c) => c.podCredentials).map((c) => c.claimName);
  if (podCredentialMounts.length > 0 && associations.length === 0)
    find(
      "identity-first",
      pod.urn,
      `${pod.description} mounts S3 volumes with the pod's own credentials (${podCredentialMounts.join(", ")}), but ${pod.namespace}/${pod.serviceAccount} has no Pod Identity association in the stack`,
    );
  if (associations.length > 0) {
    if (!associations.some((a) => seen.has(a.urn)))
      find(
        "identity-first",
        pod.urn,
        `${pod.description} runs as ${pod.namespace}/${pod.serviceAccount} but may start before its Pod Identity association exists; its pods would get no AWS credentials`,
      );
    const agent = resources.filter((r) => r.type === ADDON_TYPE && r.inputs["addonName"] === "eks-pod-identity-agent");
    if (!agent.some((a) => seen.has(a.urn)))
      find("identity-first", pod.urn, `${pod.description} uses Pod Identity but may start before the eks-pod-identity-agent add-on exists`);
  }
}
