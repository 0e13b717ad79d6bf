/**
 * Checks the pinned EKS add-on builds against what the EKS API offers, from the output of
 * `aws eks describe-addon-versions --kubernetes-version <minor>` (EKS API reference,
 * DescribeAddonVersions: addons[].addonName, addons[].addonVersions[].addonVersion and
 * addons[].addonVersions[].compatibilities[].clusterVersion).
 */
import type { EksAddonName } from "../../components";

export interface DescribeAddonVersionsOutput {
  readonly addons?: readonly {
    readonly addonName?: string;
    readonly addonVersions?: readonly { readonly addonVersion?: string; readonly compatibilities?: readonly { readonly clusterVersion?: string }[] }[];
  }[];
}

export interface PinProblem {
  readonly addon: EksAddonName;
  readonly pinned: string;
  /** Builds the API offers for this minor, newest first as the API lists them. */
  readonly offered: readonly string[];
  readonly message: string;
}

/** Every pin the API does not offer for the minor, with the builds it does offer. */
export function checkAddonPins(minor: string, pins: Readonly<Partial<Record<EksAddonName, string>>>, output: DescribeAddonVersionsOutput): PinProblem[] {
  const problems: PinProblem[] = [];
  for (const [addon, pinned] of Object.entries(pins) as [EksAddonName, string][]) {
    const entry = (output.addons ?? []).find((a) => a.addonName === addon);
    const offered = (entry?.addonVersions ?? [])
      .filter((v) => (v.compatibilities ?? []).some((c) => c.clusterVersion === minor))
      .map((v) => v.addonVersion)
      .filter((v): v is string => typeof v === "string");
    if (offered.includes(pinned)) continue;
    problems.push({
      addon,
      pinned,
      offered,
      message: entry
        ? `${addon} ${pinned} is not offered for Kubernetes ${minor}; offered: ${offered.join(", ") || "none"} (edit components/versions.ts)`
        : `${addon} is not in the API's answer for Kubernetes ${minor}: is the add-on available in this region and partition?`,
    });
  }
  return problems;
}
