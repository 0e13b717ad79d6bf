/** Every policy rule's fixture: the cluster-side, the data-side and the pod security ones. */
import { CLUSTER_FIXTURES } from "./fixtures-cluster";
import { DATA_FIXTURES } from "./fixtures-data";
import { KUBERNETES_FIXTURES } from "./fixtures-kubernetes";
import { LOG_AND_DATA_FIXTURES } from "./fixtures-logs";
import { S3_FIXTURES } from "./fixtures-s3";
import { IAM_NETWORK_FIXTURES } from "./fixtures-iam-network";
import { WAIVER_FIXTURES } from "./fixtures-waivers";
import type { Fixture } from "./fixture-support";

export { clone, find, POD, setAt, STS } from "./fixture-support";
export const FIXTURES: Fixture[] = [
  ...CLUSTER_FIXTURES,
  ...DATA_FIXTURES,
  ...KUBERNETES_FIXTURES,
  ...S3_FIXTURES,
  ...LOG_AND_DATA_FIXTURES,
  ...IAM_NETWORK_FIXTURES,
  ...WAIVER_FIXTURES,
];
