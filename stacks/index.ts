/** Entry point of `pulumi up` / `pulumi preview` (Pulumi.yaml `main`). */
import { runStack } from "./program";

export = runStack();
