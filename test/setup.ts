/**
 * Installs Pulumi runtime mocks before any resource module is imported (outputs are silently
 * undefined otherwise). Component tests use these mocks directly; stack tests go through
 * previewStack, which installs its own mocks for the stack's region. Every test starts from no
 * recorded registrations, so that what one test declared never satisfies another's assertions.
 */
import * as pulumi from "@pulumi/pulumi";
import { beforeEach } from "vitest";
import { PlatformMocks } from "../tools/preview/mocks";
import { settled } from "./support/pulumi";

export const testMocks = new PlatformMocks("us-west-2");
// setMocks does its work synchronously (it is async only in signature).
void pulumi.runtime.setMocks(testMocks, "highmem-platform", "test", false);

beforeEach(async () => {
  // Registrations a previous test started but the mocks have not answered yet would land in this
  // test's list: let them finish first.
  await settled();
  testMocks.reset();
});
