// The Kubernetes models the platform's objects use, bundled by tools/ensure-built.mjs into
// dist/schema-models.cjs: one CommonJS file the V8 code cache serves in a few milliseconds, where
// loading the same ESM modules one by one costs a quarter of a second per preview. A kind missing
// here still validates (kubernetes-schemas.ts imports it), only more slowly: add it here.
import { ConfigMap } from "kubernetes-models/v1/ConfigMap";
import { Namespace } from "kubernetes-models/v1/Namespace";
import { Secret } from "kubernetes-models/v1/Secret";
import { Service } from "kubernetes-models/v1/Service";
import { ServiceAccount } from "kubernetes-models/v1/ServiceAccount";
import { ResourceQuota } from "kubernetes-models/v1/ResourceQuota";
import { LimitRange } from "kubernetes-models/v1/LimitRange";
import { PersistentVolume } from "kubernetes-models/v1/PersistentVolume";
import { PersistentVolumeClaim } from "kubernetes-models/v1/PersistentVolumeClaim";
import { Deployment } from "kubernetes-models/apps/v1/Deployment";
import { StatefulSet } from "kubernetes-models/apps/v1/StatefulSet";
import { Job } from "kubernetes-models/batch/v1/Job";
import { CronJob } from "kubernetes-models/batch/v1/CronJob";
import { Role } from "kubernetes-models/rbac.authorization.k8s.io/v1/Role";
import { RoleBinding } from "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding";
import { PriorityClass } from "kubernetes-models/scheduling.k8s.io/v1/PriorityClass";
import { HorizontalPodAutoscaler } from "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler";
import { NetworkPolicy } from "kubernetes-models/networking.k8s.io/v1/NetworkPolicy";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1/PodDisruptionBudget";
import { StorageClass } from "kubernetes-models/storage.k8s.io/v1/StorageClass";
import { EC2NodeClass } from "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass";
import { NodePool } from "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool";
import { PrometheusRule } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule";
import { ServiceMonitor } from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor";
import { ScaledObject } from "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject";
import { VerticalPodAutoscaler } from "@kubernetes-models/autoscaler/autoscaling.k8s.io/v1/VerticalPodAutoscaler";

export const models = {
  "kubernetes-models/v1/ConfigMap": ConfigMap,
  "kubernetes-models/v1/Namespace": Namespace,
  "kubernetes-models/v1/Secret": Secret,
  "kubernetes-models/v1/Service": Service,
  "kubernetes-models/v1/ServiceAccount": ServiceAccount,
  "kubernetes-models/v1/ResourceQuota": ResourceQuota,
  "kubernetes-models/v1/LimitRange": LimitRange,
  "kubernetes-models/v1/PersistentVolume": PersistentVolume,
  "kubernetes-models/v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "kubernetes-models/apps/v1/Deployment": Deployment,
  "kubernetes-models/apps/v1/StatefulSet": StatefulSet,
  "kubernetes-models/batch/v1/Job": Job,
  "kubernetes-models/batch/v1/CronJob": CronJob,
  "kubernetes-models/rbac.authorization.k8s.io/v1/Role": Role,
  "kubernetes-models/rbac.authorization.k8s.io/v1/RoleBinding": RoleBinding,
  "kubernetes-models/scheduling.k8s.io/v1/PriorityClass": PriorityClass,
  "kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler": HorizontalPodAutoscaler,
  "kubernetes-models/networking.k8s.io/v1/NetworkPolicy": NetworkPolicy,
  "kubernetes-models/policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "kubernetes-models/storage.k8s.io/v1/StorageClass": StorageClass,
  "@kubernetes-models/karpenter/karpenter.k8s.aws/v1/EC2NodeClass": EC2NodeClass,
  "@kubernetes-models/karpenter/karpenter.sh/v1/NodePool": NodePool,
  "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule": PrometheusRule,
  "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor": ServiceMonitor,
  "@kubernetes-models/keda/keda.sh/v1alpha1/ScaledObject": ScaledObject,
  "@kubernetes-models/autoscaler/autoscaling.k8s.io/v1/VerticalPodAutoscaler": VerticalPodAutoscaler,
};
