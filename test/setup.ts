/**
 * Installs Pulumi runtime mocks before any resource module is imported (outputs are silently
 * undefined otherwise). Component tests use these mocks directly; stack tests go through
 * previewStack, which installs its own mocks for the stack's region.
 */
import * as pulumi from "@pulumi/pulumi";
import { PlatformMocks } from "../tools/preview/mocks";

export const testMocks = new PlatformMocks("us-west-2");
// setMocks does its work synchronously (it is async only in signature).
void pulumi.runtime.setMocks(testMocks, "highmem-platform", "test", false);
