/**
 * Prices the cost model uses, us-west-2, USD, dated. Sources: the AWS public price lists of each
 * service (EKS, VPC NAT gateway and public IPv4, EBS, EC2 On-Demand Linux, S3, data transfer, KMS,
 * CloudWatch, SQS), recorded 2026-11-22. Spot is not a list price: the discount per family is an
 * assumption, from the long-run savings the EC2 Spot Instance Advisor shows for these families.
 * Refresh with `aws pricing get-products` (service codes AmazonEKS, AmazonEC2, AmazonS3, ...).
 */
import { INSTANCE_TYPES } from "../../components/helpers";

export const PRICES_DATE = "2026-11-22";
export const HOURS_PER_MONTH = 730;

export const PRICES = {
  eksControlPlanePerHour: 0.1,
  natGatewayPerHour: 0.045,
  natGatewayPerGb: 0.045,
  publicIpv4PerHour: 0.005,
  gp3PerGbMonth: 0.08,
  gp3PerIopsMonthAbove3000: 0.005,
  gp3PerMibpsMonthAbove125: 0.04,
  kmsKeyPerMonth: 1,
  cloudwatchAlarmPerMonth: 0.1,
  cloudwatchLogsPerGbIngested: 0.5,
  sqsPerMillionRequests: 0.4,
  s3StandardPerGbMonth: 0.023,
  crossRegionTransferPerGb: 0.02,
  replicationTimeControlPerGb: 0.015,
} as const;

/** On-demand USD per hour of general-purpose types (system nodes) not in the memory-optimised table. */
const GENERAL_PURPOSE: Readonly<Record<string, number>> = {
  "m6i.large": 0.096,
  "m6i.xlarge": 0.192,
  "m7i.large": 0.1008,
  "m7i.xlarge": 0.2016,
  "m7i.2xlarge": 0.4032,
};

/** Assumed spot discount off on-demand, by family prefix (Spot Instance Advisor, long-run typical). */
export const SPOT_DISCOUNT: Readonly<Record<string, number>> = { r: 0.6, x: 0.5, m: 0.6, c: 0.6 };

export function onDemandPerHour(instanceType: string): number | undefined {
  return GENERAL_PURPOSE[instanceType] ?? INSTANCE_TYPES.find((t) => t.name === instanceType)?.onDemandUsdPerHour["us-west-2"];
}

export function spotDiscount(instanceType: string): number {
  return SPOT_DISCOUNT[instanceType[0] ?? ""] ?? 0.5;
}

/** Monthly price of one gp3 volume with its provisioned performance. */
export function gp3Monthly(sizeGiB: number, iops = 3000, throughputMiBps = 125): number {
  return (
    sizeGiB * PRICES.gp3PerGbMonth +
    Math.max(0, iops - 3000) * PRICES.gp3PerIopsMonthAbove3000 +
    Math.max(0, throughputMiBps - 125) * PRICES.gp3PerMibpsMonthAbove125
  );
}
