/** Zone-aware pairing, scale-out and scale-in on real valkey-server processes, where installed: see topology-suite.ts. */
import { topologySuite } from "./topology-suite";

topologySuite("valkey");
