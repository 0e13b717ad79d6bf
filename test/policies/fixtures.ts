/** Every policy rule's fixture: the cluster-side and the data-side ones. */
import { CLUSTER_FIXTURES } from "./fixtures-cluster";
import { DATA_FIXTURES } from "./fixtures-data";
import { IAM_NETWORK_FIXTURES } from "./fixtures-iam-network";
import type { Fixture } from "./fixture-support";

export { clone, find, POD, setAt, STS } from "./fixture-support";
export const FIXTURES: Fixture[] = [...CLUSTER_FIXTURES, ...DATA_FIXTURES, ...IAM_NETWORK_FIXTURES];
