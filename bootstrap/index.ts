/** Entry point of `pulumi up` / `pulumi preview` in bootstrap/ (bootstrap/Pulumi.yaml `main`). */
import { runBootstrap } from "./program";

export = runBootstrap();
