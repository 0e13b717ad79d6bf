/**
 * karpenter 1.8.1 (aws/karpenter-provider-aws@v1.8.1 charts/karpenter): one Deployment.
 * values.yaml: nodeSelector {kubernetes.io/os: linux}, affinity requiring karpenter.sh/nodepool
 * DoesNotExist, tolerations [CriticalAddonsOnly Exists], controller.resources {}, podSecurityContext
 * {fsGroup 65532, seccompProfile RuntimeDefault}, hostNetwork false, controller.image
 * public.ecr.aws/karpenter/controller tag 1.8.0 with its sha256 digest. templates/deployment.yaml:
 * automountServiceAccountToken true (the controller watches the API), the container's
 * securityContext fixed (privileged false, allowPrivilegeEscalation false, readOnlyRootFilesystem,
 * runAsNonRoot, uid/gid 65532, capabilities drop ALL) plus controller.securityContext's
 * appArmorProfile, seLinuxOptions and seccompProfile when set; image repository:tag@digest
 * (_helpers.tpl karpenter.controller.image). No Jobs or hooks.
 */
import { at, chartPod, imageOf, str, withDefaults, type ChartPod, type ReleaseLike } from "./chart-pod";

export const KARPENTER_DEFAULTS = {
  nodeSelector: { "kubernetes.io/os": "linux" },
  affinity: {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key: "karpenter.sh/nodepool", operator: "DoesNotExist" }] }],
      },
    },
  },
  tolerations: [{ key: "CriticalAddonsOnly", operator: "Exists" }],
  serviceAccount: { name: "karpenter" },
  podSecurityContext: { fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
  hostNetwork: false,
  controller: {
    image: {
      repository: "public.ecr.aws/karpenter/controller",
      tag: "1.8.0",
      digest: "sha256:f913075cdd31cfcdfaa9726ca7a0b264832fc42e8a48eb573a2a0f454b38b112",
    },
    securityContext: {},
  },
};

export function karpenterPods(release: ReleaseLike): ChartPod[] {
  const values = withDefaults(KARPENTER_DEFAULTS, release);
  const extra = at(values, "controller.securityContext");
  const optional = Object.fromEntries(
    ["appArmorProfile", "seLinuxOptions", "seccompProfile"]
      .map((k) => [k, at(extra, k)] as const)
      .filter(([, v]) => v !== undefined && !(typeof v === "object" && v !== null && Object.keys(v).length === 0)),
  );
  return [
    chartPod(release, "controller", values, {
      awaited: true,
      serviceAccount: str(at(values, "serviceAccount.name")) ?? "karpenter",
      usesKubernetesApi: true,
      securityContext: at(values, "podSecurityContext"),
      hostNetwork: at(values, "hostNetwork"),
      automountServiceAccountToken: true,
      containers: [
        {
          name: "controller",
          image: imageOf(at(values, "controller.image"), { defaultTag: "1.8.1", digestKey: "digest" }),
          resources: at(values, "controller.resources"),
          securityContext: {
            privileged: false,
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            runAsNonRoot: true,
            runAsUser: 65532,
            runAsGroup: 65532,
            capabilities: { drop: ["ALL"] },
            ...optional,
          },
        },
      ],
    }),
  ];
}
