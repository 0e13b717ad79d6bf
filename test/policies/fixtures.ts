/** Every policy rule's fixture: the cluster-side and the data-side ones. */
import { CLUSTER_FIXTURES } from "./fixtures-cluster";
import { DATA_FIXTURES } from "./fixtures-data";
import { WAIVER_FIXTURES } from "./fixtures-waivers";
import type { Fixture } from "./fixture-support";

export { clone, find, POD, setAt, STS } from "./fixture-support";
export const FIXTURES: Fixture[] = [...CLUSTER_FIXTURES, ...DATA_FIXTURES, ...WAIVER_FIXTURES];
