/**
 * Which Pulumi resource types hold data that deleting or replacing them loses: the one vocabulary
 * the policy pack (protection, no delete-before-replace) and plan:diff (which replacements are
 * data loss) share, so that they cannot disagree. Type tokens are the providers' own.
 */

/** Deleting or replacing one of these loses what it holds, or breaks everything that refers to it. */
export const DATA_HOLDING_TYPES: readonly string[] = [
  // Objects, keys and events.
  "aws:s3/bucket:Bucket",
  "aws:kms/key:Key",
  "aws:cloudwatch/logGroup:LogGroup",
  "aws:sqs/queue:Queue",
  // Identities and networks other resources refer to by ARN or id.
  "aws:iam/role:Role",
  "aws:ec2/vpc:Vpc",
  "eks:index:Cluster",
  // Kubernetes: volumes and what owns them.
  "kubernetes:apps/v1:StatefulSet",
  "kubernetes:core/v1:PersistentVolumeClaim",
  "kubernetes:storage.k8s.io/v1:StorageClass",
  "kubernetes:core/v1:Namespace",
  "kubernetes:core/v1:Secret",
  "kubernetes:helm.sh/v3:Release",
];

/** Of those, what prod must protect with Pulumi's `protect` (the data itself, and the cluster). */
export const PROTECTED_IN_PROD_TYPES: readonly string[] = [
  "aws:s3/bucket:Bucket",
  "aws:kms/key:Key",
  "kubernetes:apps/v1:StatefulSet",
  // A standalone claim (a team's dataset volume): deleting it deletes the volume unless the class retains it.
  "kubernetes:core/v1:PersistentVolumeClaim",
  "eks:index:Cluster",
];

export const holdsData = (type: string): boolean => DATA_HOLDING_TYPES.includes(type);
