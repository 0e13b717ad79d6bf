/** Protection of what holds data in prod, decided from one resource so that CrossGuard blocks it before the update. */
import { PROTECTED_IN_PROD_TYPES } from "../../components/lib/resource-kinds";
import { asArray, at, isProd, type Rule } from "./types";
import { protectionNeedsRelations } from "./workloads";

export const DATA_PROTECTION_RULES: readonly Rule[] = [
  {
    kind: "resource",
    id: "data-protected-in-prod",
    enforcementLevel: "mandatory",
    family: "data",
    sources: [{ standard: "pulumi-docs", control: "protect" }],
    resourceTypes: PROTECTED_IN_PROD_TYPES,
    description:
      "In prod, buckets, KMS keys, StatefulSets with volume claims, volume claims and the cluster are protected against deletion and replacement. Not a StatefulSet without volume claims (its volumes live and die with its pods); and what only other resources can exempt (a StatefulSet that orphans its pods, which may be under a safe resize; a claim bound by name to a pre-provisioned volume) is left to data-protected-in-prod-relations, after the update. The tier comes from the rule context, else from the resource's tier tag.",
    check: (r, context) => {
      if (r.protect || !isProd([r], context)) return undefined;
      if (r.type === "kubernetes:apps/v1:StatefulSet" && asArray(at(r.inputs, "spec.volumeClaimTemplates")).length === 0) return undefined;
      return protectionNeedsRelations(r) ? undefined : "not protected in prod";
    },
  },
];
