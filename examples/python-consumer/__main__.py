"""A Python program using the highmem component package. Argument names are the schema's camelCase
names in snake_case as Pulumi's Python generator spells them (memoryGiB -> memory_gi_b is our reading
of its rules, not checked against a generated SDK).

From this folder: `pulumi package add ../../provider` generates the Python SDK (`pulumi_highmem`,
in sdks/highmem) and adds it to requirements.txt; then `pulumi up`. Not run here: the machine that
wrote it has no Pulumi CLI.
"""
import pulumi
import pulumi_highmem as highmem
import pulumi_kubernetes as k8s

config = pulumi.Config()
cluster = k8s.Provider("k8s", kubeconfig=config.require_secret("kubeconfig"))
on_cluster = pulumi.ResourceOptions(providers=[cluster])

pool = highmem.KarpenterNodePoolComponent(
    "high-memory-spot",
    preset=highmem.NodePoolPreset.HIGH_MEMORY_SPOT,
    cluster_name="highmem-dev",
    node_role_name=config.require("nodeRoleName"),
    kubernetes_version="1.33",
    architectures=[highmem.CpuArchitecture.AMD64],
    limits=highmem.NodePoolLimitsArgs(cpu=1000, memory_gi_b=8000),
    high_memory=highmem.HighMemorySizingArgs(
        largest_pod_memory_gi_b=200, max_node_memory_gi_b=1024, region="us-west-2", huge_pages_gi_b=0
    ),
    opts=on_cluster,
)

cache = highmem.RedisClusterComponent(
    "cache",
    namespace="data",
    memory_gi_b=8,
    storage_gi_b=20,
    storage_class_name="gp3",
    known_storage_classes=["gp3"],
    opts=on_cluster,
)

pulumi.export("instanceTypes", pool.instance_types)
pulumi.export("redisService", cache.service_name)
