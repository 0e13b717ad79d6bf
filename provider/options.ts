/**
 * What a multi-language component takes from its resource options rather than its args: the
 * Kubernetes provider, and resources to wait for. The engine's Construct call passes both as
 * options, not inputs (@pulumi/pulumi 3.270.0 provider/server.js `construct`: `providers` from the
 * request's providers map, `dependsOn` from its dependencies).
 */
import * as pulumi from "@pulumi/pulumi";
import { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";

/**
 * The Kubernetes provider the component was given (`providers: [k8s]`, or `provider: k8s` on a
 * component), checked to be one. The caller's program builds it from the cluster's kubeconfig.
 */
export function kubernetesProviderOf(component: pulumi.ComponentResource, componentName: string): KubernetesProvider {
  // Resource.getProvider looks a provider up by the package of a type token (resource.js pkgFromType).
  const provider = component.getProvider("kubernetes::Provider");
  const found = provider === undefined ? "none" : "a provider that is not a kubernetes.Provider";
  if (!KubernetesProvider.isInstance(provider)) {
    throw new Error(
      `${componentName}: needs a Kubernetes provider in its resource options, built from the cluster's kubeconfig ` +
        "(TypeScript `{ providers: [k8s] }`, Python `ResourceOptions(providers=[k8s])`, YAML `options: providers: [${k8s}]`); " +
        `it has ${found}`,
    );
  }
  return provider;
}

/** The resources of a `dependsOn` option given as a list or a single resource (Construct passes a list). */
export function dependsOnList(dependsOn: pulumi.ComponentResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
  if (dependsOn === undefined) return [];
  if (Array.isArray(dependsOn)) return dependsOn;
  if (pulumi.Resource.isInstance(dependsOn)) return [dependsOn];
  throw new Error("dependsOn given as an Output or a Promise of a list is not supported here: pass the list itself");
}
