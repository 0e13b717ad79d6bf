/** Runs a small program under fresh mocks as the offline preview runs a stack: recorder and dependency capture installed. */
import * as pulumi from "@pulumi/pulumi";
import { DependencyCapture } from "../../tools/preview/dependency-capture";
import { PlatformMocks } from "../../tools/preview/mocks";
import type { PlanResource } from "../../tools/preview/plan";
import { ResourceRecorder } from "../../tools/preview/recorder";

export async function recordProgram(program: () => void): Promise<PlanResource[]> {
  const mocks = new PlatformMocks("us-west-2");
  await pulumi.runtime.setMocks(mocks, "proj", "dev", false);
  const capture = new DependencyCapture();
  capture.install();
  const recorder = new ResourceRecorder("proj", "dev");
  await pulumi.runtime.runInPulumiStack(async () => {
    pulumi.runtime.registerStackTransformation(recorder.transformation);
    program();
    return {};
  });
  await pulumi.runtime.disconnect();
  return recorder.buildResources(mocks.registrations, capture.byKey);
}
