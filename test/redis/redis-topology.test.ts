/** Zone-aware pairing, scale-out and scale-in on real redis-server processes: see topology-suite.ts. */
import { topologySuite } from "./topology-suite";

topologySuite("redis");
