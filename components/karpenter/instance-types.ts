/**
 * The memory-optimised instance types the high-memory pools may launch, with what the fit and cost
 * calculations need. Dated data: EC2 adds types and changes prices.
 *
 * Source: Amazon EC2 instance type specifications (memory, vCPUs, architecture) and the EC2
 * On-Demand price list for Linux, shared tenancy, in us-west-2 (USD per hour). Recorded 2026-11-22.
 * Refresh with `aws pricing get-products --service-code AmazonEC2 --region us-east-1 --filters
 * Type=TERM_MATCH,Field=instanceType,Value=<type> Type=TERM_MATCH,Field=regionCode,Value=us-west-2 ...`.
 *
 * The NVMe families (r5d, r5ad, r6id, r6gd, r7gd; local NVMe of x2idn, x2iedn, x2gd) were added
 * 2026-11-23. Local NVMe is the `karpenter.k8s.aws/instance-local-nvme` value Karpenter v1.8.1 gives
 * each type (aws/karpenter-provider-aws v1.8.1 website/content/en/v1.8/reference/instance-types.md,
 * from EC2 DescribeInstanceTypes `InstanceStorageInfo.TotalSizeInGB`; the label is documented as
 * GiB). Their prices are the Linux on-demand prices of aws/karpenter-provider-aws v1.8.1
 * pkg/providers/pricing/zz_generated.pricing_aws.go (us-east-1, generated 2025-09-01), which equal
 * this table's us-west-2 figure for every type recorded before; the us-west-2 price of the new types
 * is assumed equal and should be checked with the command above. There is no r7id type (EC2 and
 * Karpenter's list have none); r5dn, r6idn and r8gd are left out (pricier network variants, and r8gd
 * lacks the 32xlarge that rFamily assumes for the r8 generation).
 */
export const INSTANCE_DATA_DATE = "2026-11-22";
export const INSTANCE_DATA_SOURCE = "EC2 instance type specifications; EC2 On-Demand price list (Linux, shared tenancy)";

export type Architecture = "amd64" | "arm64";

export interface InstanceType {
  readonly name: string;
  readonly family: string;
  readonly generation: number;
  readonly arch: Architecture;
  readonly vcpu: number;
  readonly memoryGiB: number;
  /** Local NVMe instance store (GiB, as Karpenter's `instance-local-nvme` label); 0 for none. */
  readonly localNvmeGiB: number;
  /** On-demand USD per hour by region. */
  readonly onDemandUsdPerHour: Readonly<Record<string, number>>;
}

/** [size, vCPUs, GiB] of the r families' sizes from 4xlarge up. */
const R_SIZES: readonly [string, number, number][] = [
  ["4xlarge", 16, 128],
  ["8xlarge", 32, 256],
  ["12xlarge", 48, 384],
  ["16xlarge", 64, 512],
  ["24xlarge", 96, 768],
  ["32xlarge", 128, 1024],
  ["48xlarge", 192, 1536],
];

/**
 * An r family: its generation, architecture, us-west-2 price of a 4xlarge, its largest size, and the
 * local NVMe of a 4xlarge (GiB; 0 for none). Price and NVMe scale with size within a family.
 */
function rFamily(family: string, generation: number, arch: Architecture, usWest2Per4xl: number, largest: string, nvmePer4xl = 0): InstanceType[] {
  const last = R_SIZES.findIndex(([size]) => size === largest);
  return R_SIZES.slice(0, last + 1)
    .filter(([size]) => !(size === "32xlarge" && ["r5", "r5a", "r7i"].includes(family)))
    .map(([size, vcpu, memoryGiB]) => ({
      name: `${family}.${size}`,
      family,
      generation,
      arch,
      vcpu,
      memoryGiB,
      localNvmeGiB: nvmePer4xl * (vcpu / 16),
      // Within a family, price scales with size.
      onDemandUsdPerHour: { "us-west-2": Math.round(usWest2Per4xl * (vcpu / 16) * 10_000) / 10_000 },
    }));
}

const x = (name: string, generation: number, arch: Architecture, vcpu: number, memoryGiB: number, usWest2: number, localNvmeGiB: number): InstanceType => ({
  name,
  family: name.split(".")[0]!,
  generation,
  arch,
  vcpu,
  memoryGiB,
  localNvmeGiB,
  onDemandUsdPerHour: { "us-west-2": usWest2 },
});

export const INSTANCE_TYPES: readonly InstanceType[] = [
  ...rFamily("r5", 5, "amd64", 1.008, "24xlarge"),
  ...rFamily("r5a", 5, "amd64", 0.904, "24xlarge"),
  ...rFamily("r6i", 6, "amd64", 1.008, "32xlarge"),
  ...rFamily("r6a", 6, "amd64", 0.9072, "48xlarge"),
  ...rFamily("r7i", 7, "amd64", 1.0584, "48xlarge"),
  ...rFamily("r7a", 7, "amd64", 1.2172, "48xlarge"),
  ...rFamily("r6g", 6, "arm64", 0.8064, "16xlarge"),
  ...rFamily("r7g", 7, "arm64", 0.8568, "16xlarge"),
  ...rFamily("r8g", 8, "arm64", 0.9426, "48xlarge"),
  // With local NVMe.
  ...rFamily("r5d", 5, "amd64", 1.152, "24xlarge", 600),
  ...rFamily("r5ad", 5, "amd64", 1.048, "24xlarge", 600),
  ...rFamily("r6id", 6, "amd64", 1.2096, "32xlarge", 950),
  ...rFamily("r6gd", 6, "arm64", 0.9216, "16xlarge", 950),
  ...rFamily("r7gd", 7, "arm64", 1.0886, "16xlarge", 950),
  x("x2iedn.4xlarge", 2, "amd64", 16, 512, 3.3345, 475),
  x("x2iedn.8xlarge", 2, "amd64", 32, 1024, 6.669, 950),
  x("x2iedn.16xlarge", 2, "amd64", 64, 2048, 13.338, 1900),
  x("x2idn.16xlarge", 2, "amd64", 64, 1024, 6.669, 1900),
  x("x2idn.24xlarge", 2, "amd64", 96, 1536, 10.0035, 2850),
  x("x2idn.32xlarge", 2, "amd64", 128, 2048, 13.338, 3800),
  x("x2gd.4xlarge", 2, "arm64", 16, 256, 1.336, 950),
  x("x2gd.8xlarge", 2, "arm64", 32, 512, 2.672, 1900),
  x("x2gd.12xlarge", 2, "arm64", 48, 768, 4.008, 2850),
  x("x2gd.16xlarge", 2, "arm64", 64, 1024, 5.344, 3800),
];

/** The seed design's baseline: r5 on demand, per GiB-hour in us-west-2 (r5.8xlarge: 256 GiB). */
export function r5BaselinePerGiBHour(region = "us-west-2"): number {
  const r5 = INSTANCE_TYPES.find((t) => t.name === "r5.8xlarge")!;
  return r5.onDemandUsdPerHour[region]! / r5.memoryGiB;
}
