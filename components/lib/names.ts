/**
 * Names other systems define, checked in one place. Kubernetes (kubernetes.io "Object Names and
 * IDs"): a DNS label (RFC 1123: namespaces, most object names) is at most 63 lowercase letters,
 * digits and '-', starting and ending with a letter or digit; a DNS subdomain (service accounts,
 * claims) is such labels joined by '.', at most 253 characters.
 */

/** An RFC 1123 label of at most 63 characters. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const isDnsLabel = (name: string): boolean => DNS_LABEL.test(name);
export const isDnsSubdomain = (name: string): boolean => name.length <= 253 && DNS_SUBDOMAIN.test(name);

/** An AWS region's name, such as us-west-2 or ap-southeast-3 (shape only: the partition's list changes). */
export const isAwsRegionName = (name: string): boolean => /^[a-z]{2}(-[a-z]+)+-\d+$/.test(name);
