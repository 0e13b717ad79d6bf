import * as pulumi from "@pulumi/pulumi";
import { Namespace } from "@pulumi/kubernetes/core/v1/namespace";
import type { Provider as KubernetesProvider } from "@pulumi/kubernetes/provider";
import { requireThat, withDefaults } from "../lib/args";

export interface DataNamespaceArgs {
  readonly provider: KubernetesProvider;
  /**
   * Kubernetes name of the namespace.
   * @default "data"
   */
  readonly namespace?: string;
}

export const DATA_NAMESPACE_DEFAULTS = {
  namespace: "data",
} satisfies Partial<DataNamespaceArgs>;

const COMPONENT = "DataNamespace";

/**
 * The URN a resource had when the stack declared it at the top level (no parent). Written out as a
 * string: `{ parent: pulumi.rootStackResource }` is the same alias to the engine, but is undefined
 * at run time, so nothing that reads the plan could see it.
 */
function topLevelUrn(type: string, name: string): string {
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${type}::${name}`;
}

/**
 * The namespace of the platform's data services, with Pod Security "restricted" enforced: every pod
 * there runs non-root with a read-only root. The Namespace keeps the URN it had when the stack
 * declared it at the top level (an alias), so moving it here replaces nothing.
 */
export class DataNamespace extends pulumi.ComponentResource {
  /** The namespace's name, for the components that put objects in it. */
  readonly namespaceName: string;
  readonly namespace: Namespace;

  constructor(name: string, args: DataNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    const a = withDefaults(DATA_NAMESPACE_DEFAULTS, args);
    requireThat(
      /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(a.namespace) && a.namespace.length <= 63,
      COMPONENT,
      "namespace",
      a.namespace,
      "must be a Kubernetes name (lowercase letters, digits, hyphens)",
    );
    super("highmem:redis:DataNamespace", name, {}, opts);
    this.namespaceName = a.namespace;
    this.namespace = new Namespace(
      name,
      {
        metadata: { name: a.namespace, labels: { "pod-security.kubernetes.io/enforce": "restricted", "pod-security.kubernetes.io/audit": "restricted" } },
      },
      { parent: this, provider: a.provider, aliases: [topLevelUrn("kubernetes:core/v1:Namespace", name)] },
    );
    this.registerOutputs({ namespaceName: this.namespaceName });
  }
}
