/**
 * The pods EKS managed add-ons run. The Terraform provider behind aws.eks.Addon waits for the add-on
 * to become ACTIVE after CreateAddon (terraform-provider-aws internal/service/eks/addon.go,
 * waitAddonCreated, 20 minute default), and an add-on whose Deployment pods cannot be scheduled
 * ends DEGRADED instead: so a Deployment-type add-on needs somewhere to run when it is created.
 * DaemonSet add-ons run on whatever nodes exist and need no host of their own.
 */
import type { PlanResource } from "../plan";
import { podFromSpec, type PlannedPod } from "./pod-spec";
import { at, coalesce, str } from "./values";

interface AddonWorkload {
  readonly component: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly daemon: boolean;
  /** Scheduling fields as EKS deploys them, before configurationValues. */
  readonly defaults: { readonly nodeSelector?: object; readonly tolerations?: readonly object[]; readonly affinity?: object; readonly resources?: object };
  /** Where configurationValues sets this workload's scheduling fields ("" = top level); none if it cannot. */
  readonly configPath?: string;
}

const linux = { "kubernetes.io/os": "linux" };
const criticalAddons = { key: "CriticalAddonsOnly", operator: "Exists" };

/**
 * Per add-on. Sources: coredns as EKS deploys it (EKS user guide, "Manage CoreDNS": the add-on's
 * Deployment tolerates CriticalAddonsOnly and the control-plane taint; configuration schema keys
 * tolerations, nodeSelector, affinity); aws-ebs-csi-driver (kubernetes-sigs/aws-ebs-csi-driver
 * charts/aws-ebs-csi-driver/values.yaml at the add-on's release: controller.tolerations
 * CriticalAddonsOnly Exists and NoExecute Exists for 300 s, node.tolerateAllTaints); metrics-server
 * (kubernetes-sigs/metrics-server charts/metrics-server/values.yaml: tolerations [] by default; the
 * EKS add-on accepts tolerations and nodeSelector in configurationValues).
 */
const ADDON_WORKLOADS: Readonly<Record<string, readonly AddonWorkload[]>> = {
  "vpc-cni": [{ component: "aws-node", namespace: "kube-system", serviceAccount: "aws-node", daemon: true, defaults: {} }],
  "kube-proxy": [{ component: "kube-proxy", namespace: "kube-system", serviceAccount: "kube-proxy", daemon: true, defaults: {} }],
  "eks-pod-identity-agent": [{ component: "eks-pod-identity-agent", namespace: "kube-system", serviceAccount: "default", daemon: true, defaults: {} }],
  coredns: [
    {
      component: "coredns",
      namespace: "kube-system",
      serviceAccount: "coredns",
      daemon: false,
      defaults: {
        tolerations: [criticalAddons, { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }],
        affinity: {
          nodeAffinity: {
            requiredDuringSchedulingIgnoredDuringExecution: {
              nodeSelectorTerms: [{ matchExpressions: [{ key: "kubernetes.io/os", operator: "In", values: ["linux"] }] }],
            },
          },
        },
        resources: { requests: { cpu: "100m", memory: "70Mi" }, limits: { memory: "170Mi" } },
      },
      configPath: "",
    },
  ],
  "aws-ebs-csi-driver": [
    {
      component: "ebs-csi-controller",
      namespace: "kube-system",
      serviceAccount: "ebs-csi-controller-sa",
      daemon: false,
      defaults: { nodeSelector: linux, tolerations: [criticalAddons, { operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 }] },
      configPath: "controller",
    },
    { component: "ebs-csi-node", namespace: "kube-system", serviceAccount: "ebs-csi-node-sa", daemon: true, defaults: {} },
  ],
  // awslabs/mountpoint-s3-csi-driver@v2.7.0 charts/aws-mountpoint-s3-csi-driver: templates/controller.yaml
  // (Deployment s3-csi-controller, nodeSelector kubernetes.io/os linux, tolerations only
  // controller.tolerations, unset in values.yaml; resources unset), templates/node.yaml (DaemonSet
  // s3-csi-node, tolerations [Exists] with node.tolerateAllTaints true). Mountpoint pods are created
  // per mount by the node plugin on the workload's node (pkg/podmounter/mppod/creator.go), not at install.
  "aws-mountpoint-s3-csi-driver": [
    {
      component: "s3-csi-controller",
      namespace: "kube-system",
      serviceAccount: "s3-csi-driver-controller-sa",
      daemon: false,
      defaults: { nodeSelector: linux, tolerations: [] },
    },
    { component: "s3-csi-node", namespace: "kube-system", serviceAccount: "s3-csi-driver-sa", daemon: true, defaults: {} },
  ],
  // kubernetes-csi/external-snapshotter@v8.3.0 deploy/kubernetes/snapshot-controller/setup-snapshot-controller.yaml:
  // Deployment snapshot-controller in kube-system (2 replicas, service account snapshot-controller)
  // with no tolerations and no nodeSelector;
  // EKS's build is modelled the same, and its configuration schema is not modelled (no configPath).
  "snapshot-controller": [
    { component: "snapshot-controller", namespace: "kube-system", serviceAccount: "snapshot-controller", daemon: false, defaults: { tolerations: [] } },
  ],
  "metrics-server": [
    {
      component: "metrics-server",
      namespace: "kube-system",
      serviceAccount: "metrics-server",
      daemon: false,
      defaults: { nodeSelector: linux, tolerations: [] },
      configPath: "",
    },
  ],
};

/** The add-on's configurationValues as an object ({} when unset or not JSON). */
function configurationValues(r: PlanResource): unknown {
  const text = str(r.inputs["configurationValues"]);
  if (!text) return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return {};
  }
}

/**
 * CRD groups an add-on installs. snapshot-controller: the EKS user guide (csi-snapshot-controller)
 * says the add-on includes the VolumeSnapshot, VolumeSnapshotClass and VolumeSnapshotContent CRDs.
 */
const ADDON_CRD_GROUPS: Readonly<Record<string, readonly string[]>> = {
  "snapshot-controller": ["snapshot.storage.k8s.io"],
};

/** The CRD groups the add-on of this plan resource installs (none for most add-ons). */
export function addonCrdGroups(r: PlanResource): readonly string[] {
  return ADDON_CRD_GROUPS[str(r.inputs["addonName"]) ?? ""] ?? [];
}

/** The add-ons this model knows; an unknown add-on is reported by the simulation. */
export const MODELLED_ADDONS: readonly string[] = Object.keys(ADDON_WORKLOADS);

export function addonPods(r: PlanResource): PlannedPod[] {
  const name = str(r.inputs["addonName"]) ?? "";
  const config = configurationValues(r);
  return (ADDON_WORKLOADS[name] ?? []).map((w) => {
    const overrides = w.configPath === undefined ? {} : w.configPath === "" ? config : at(config, w.configPath);
    const scheduling = coalesce(w.defaults, overrides);
    const spec = {
      nodeSelector: at(scheduling, "nodeSelector") ?? {},
      tolerations: at(scheduling, "tolerations") ?? [],
      affinity: at(scheduling, "affinity") ?? {},
      serviceAccountName: w.serviceAccount,
      containers: [{ resources: w.defaults.resources ?? {} }],
    };
    return podFromSpec(spec, { urn: r.urn, description: `EKS add-on ${name}: ${w.component}`, namespace: w.namespace, awaited: !w.daemon, daemon: w.daemon });
  });
}
