/**
 * User data that tunes a node's kernel for very large heaps. AL2023 nodes read MIME multi-part user
 * data: Karpenter merges its own nodeadm part with this shell part, which runs before the kubelet.
 */

export interface NodeTuningOptions {
  /**
   * 2 MiB huge pages to reserve, in GiB. The kubelet advertises them as `hugepages-2Mi` and they
   * are no longer ordinary memory, so only pools whose workloads request them should reserve any.
   */
  readonly hugePagesGiB: number;
}

/** Kernel settings for nodes running 100-250 GiB heaps; each line says why. */
export const HIGH_MEMORY_SYSCTLS: readonly [string, string, string][] = [
  ["vm.swappiness", "1", "EKS nodes run without swap; keep the kernel from preferring it if one is added"],
  ["vm.overcommit_memory", "1", "fork() of a large process (Redis AOF rewrite, RDB save) must not fail on a commit check; cgroup limits still bound each pod"],
  ["kernel.numa_balancing", "0", "automatic NUMA page migration stalls large heaps; pin with topology-aware scheduling instead"],
  ["vm.max_map_count", "1048576", "memory-mapped datasets and large JVM heaps need many mappings"],
  ["vm.min_free_kbytes", "1048576", "keep 1 GiB free so that allocation bursts do not stall in direct reclaim"],
];

export function renderUserData(options: NodeTuningOptions): string {
  if (!Number.isInteger(options.hugePagesGiB) || options.hugePagesGiB < 0) {
    throw new Error(`renderUserData: hugePagesGiB is ${options.hugePagesGiB}; must be a whole number of GiB, 0 for none`);
  }
  const sysctls = [...HIGH_MEMORY_SYSCTLS.map(([key, value, why]) => `# ${why}\n${key} = ${value}`)];
  if (options.hugePagesGiB > 0)
    sysctls.push(`# ${options.hugePagesGiB} GiB of 2 MiB huge pages, requested by this pool's workloads\nvm.nr_hugepages = ${options.hugePagesGiB * 512}`);
  const script = [
    "#!/bin/bash",
    "set -euo pipefail",
    "cat > /etc/sysctl.d/90-high-memory.conf <<'SYSCTL'",
    ...sysctls,
    "SYSCTL",
    "sysctl --system >/dev/null",
    "# Huge pages only where a program asks for them (madvise): 'always' makes Redis and many",
    "# allocators spike latency and memory; 'never' denies them to JVMs that ask.",
    "echo madvise > /sys/kernel/mm/transparent_hugepage/enabled",
    "echo defer+madvise > /sys/kernel/mm/transparent_hugepage/defrag",
  ].join("\n");
  const boundary = "HIGHMEM-TUNING";
  return [
    "MIME-Version: 1.0",
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    "",
    `--${boundary}`,
    'Content-Type: text/x-shellscript; charset="us-ascii"',
    "",
    script,
    `--${boundary}--`,
    "",
  ].join("\n");
}
