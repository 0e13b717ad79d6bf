/**
 * The memory-optimised instance types the high-memory pools may launch, with what the fit and cost
 * calculations need. Dated data: EC2 adds types and changes prices.
 *
 * Source: Amazon EC2 instance type specifications (memory, vCPUs, architecture) and the EC2
 * On-Demand price list for Linux, shared tenancy, in us-west-2 (USD per hour). Recorded 2026-11-22.
 * Refresh with `aws pricing get-products --service-code AmazonEC2 --region us-east-1 --filters
 * Type=TERM_MATCH,Field=instanceType,Value=<type> Type=TERM_MATCH,Field=regionCode,Value=us-west-2 ...`.
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

/** An r family: its generation, architecture, us-west-2 price of a 4xlarge, and its largest size. */
function rFamily(family: string, generation: number, arch: Architecture, usWest2Per4xl: number, largest: string): InstanceType[] {
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
      // Within a family, price scales with size.
      onDemandUsdPerHour: { "us-west-2": Math.round(usWest2Per4xl * (vcpu / 16) * 10_000) / 10_000 },
    }));
}

const x = (name: string, generation: number, arch: Architecture, vcpu: number, memoryGiB: number, usWest2: number): InstanceType => ({
  name,
  family: name.split(".")[0]!,
  generation,
  arch,
  vcpu,
  memoryGiB,
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
  x("x2iedn.4xlarge", 2, "amd64", 16, 512, 3.3345),
  x("x2iedn.8xlarge", 2, "amd64", 32, 1024, 6.669),
  x("x2iedn.16xlarge", 2, "amd64", 64, 2048, 13.338),
  x("x2idn.16xlarge", 2, "amd64", 64, 1024, 6.669),
  x("x2idn.24xlarge", 2, "amd64", 96, 1536, 10.0035),
  x("x2idn.32xlarge", 2, "amd64", 128, 2048, 13.338),
  x("x2gd.4xlarge", 2, "arm64", 16, 256, 1.336),
  x("x2gd.8xlarge", 2, "arm64", 32, 512, 2.672),
  x("x2gd.12xlarge", 2, "arm64", 48, 768, 4.008),
  x("x2gd.16xlarge", 2, "arm64", 64, 1024, 5.344),
];

/** The seed design's baseline: r5 on demand, per GiB-hour in us-west-2 (r5.8xlarge: 256 GiB). */
export function r5BaselinePerGiBHour(region = "us-west-2"): number {
  const r5 = INSTANCE_TYPES.find((t) => t.name === "r5.8xlarge")!;
  return r5.onDemandUsdPerHour[region]! / r5.memoryGiB;
}
