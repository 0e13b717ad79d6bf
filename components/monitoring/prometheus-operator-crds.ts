import * as pulumi from "@pulumi/pulumi";
import { Release } from "@pulumi/kubernetes/helm/v3/release";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { PROMETHEUS_OPERATOR_CRDS_CHART_VERSION } from "../versions";

export interface PrometheusOperatorCrdsArgs {
  readonly provider: KubernetesProvider;
  /**
   * Chart version.
   * @default PROMETHEUS_OPERATOR_CRDS_CHART_VERSION
   */
  readonly version?: string;
}

/**
 * The prometheus-operator CRDs (ServiceMonitor, PodMonitor, PrometheusRule, ...) on their own, so
 * that any component can declare monitoring objects, and so that upgrading the monitoring stack
 * never deletes them (Helm does not manage CRDs of a chart's crds/ folder after install).
 */
export class PrometheusOperatorCrds extends pulumi.ComponentResource {
  readonly release: Release;

  constructor(name: string, args: PrometheusOperatorCrdsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("highmem:monitoring:PrometheusOperatorCrds", name, {}, opts);
    this.release = new Release(
      `${name}-chart`,
      {
        name: "prometheus-operator-crds",
        chart: "prometheus-operator-crds",
        repositoryOpts: { repo: "https://prometheus-community.github.io/helm-charts" },
        version: args.version ?? PROMETHEUS_OPERATOR_CRDS_CHART_VERSION,
        namespace: "kube-system",
        atomic: true,
      },
      { parent: this, provider: args.provider },
    );
    this.registerOutputs({});
  }
}
