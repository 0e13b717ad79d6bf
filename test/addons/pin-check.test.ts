import { describe, expect, it } from "vitest";
import { checkAddonPins, type DescribeAddonVersionsOutput } from "../../tools/addons/pin-check";
import { KUBERNETES_RELEASES } from "../../components/versions";

/**
 * kube-proxy builds the EKS API offered, as recorded from `aws eks describe-addon-versions` in
 * awsdocs/amazon-eks-user-guide PR #1155 (1.33, 2025-11-03) and PR #1168 (1.34, 2025-11-14), in the
 * API's answer shape (EKS API reference, DescribeAddonVersions).
 */
const answer = (minor: string, versions: string[]): DescribeAddonVersionsOutput => ({
  addons: [
    {
      addonName: "kube-proxy",
      addonVersions: versions.map((addonVersion) => ({ addonVersion, compatibilities: [{ clusterVersion: minor }] })),
    },
  ],
});
const KUBE_PROXY_1_34 = answer("1.34", ["v1.34.0-eksbuild.4"]);
const KUBE_PROXY_1_33 = answer("1.33", ["v1.33.3-eksbuild.10", "v1.33.3-eksbuild.6", "v1.33.3-eksbuild.4"]);

describe("add-on pins against the EKS API's answer", () => {
  it("accepts the pinned kube-proxy builds the API was recorded offering", () => {
    expect(checkAddonPins("1.34", { "kube-proxy": KUBERNETES_RELEASES["1.34"]!.addons["kube-proxy"] }, KUBE_PROXY_1_34)).toEqual([]);
    expect(checkAddonPins("1.33", { "kube-proxy": KUBERNETES_RELEASES["1.33"]!.addons["kube-proxy"] }, KUBE_PROXY_1_33)).toEqual([]);
  });

  it("refuses the build the user guide listed but the API never offered, naming the offered ones", () => {
    const [problem] = checkAddonPins("1.34", { "kube-proxy": "v1.34.0-eksbuild.5" }, KUBE_PROXY_1_34);
    expect(problem?.message).toBe(
      "kube-proxy v1.34.0-eksbuild.5 is not offered for Kubernetes 1.34; offered: v1.34.0-eksbuild.4 (edit components/versions.ts)",
    );
  });

  it("counts a build only for the Kubernetes versions it is compatible with", () => {
    expect(checkAddonPins("1.34", { "kube-proxy": "v1.33.3-eksbuild.4" }, KUBE_PROXY_1_33)).toHaveLength(1);
  });

  it("says when the add-on is missing from the answer altogether", () => {
    expect(checkAddonPins("1.34", { "metrics-server": "v0.8.0-eksbuild.2" }, KUBE_PROXY_1_34)[0]?.message).toMatch(
      /metrics-server is not in the API's answer for Kubernetes 1.34/,
    );
  });
});
