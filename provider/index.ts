/**
 * Entry point of the `highmem` component package (PulumiPlugin.yaml). Every ComponentResource class
 * exported here becomes a resource of the package schema, `highmem:index:<ClassName>`; their
 * constructor `args` interfaces become the schema's input properties.
 */
// The package's top-level module registers the "kubernetes" resource package with the runtime, so
// that a provider reference the engine passes to Construct is rehydrated as a real
// kubernetes.Provider (@pulumi/pulumi 3.270.0 provider/server.js createProviderResource).
import "@pulumi/kubernetes";

export { RedisClusterComponent } from "./redis-cluster";
export { KarpenterNodePoolComponent } from "./karpenter-node-pool";
