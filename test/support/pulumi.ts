/**
 * Waiting for the Pulumi runtime in tests, without sleeps. A component's children register
 * asynchronously (each after its inputs resolve), so a test that reads the mocks' registrations must
 * wait until every registration the program started has been answered. The SDK keeps exactly that
 * count for its own shutdown: runtime/settings.js `waitForRPCs` (@pulumi/pulumi 3.270.0) resolves
 * once no RPC is outstanding, re-waiting while new ones start. It is marked internal, so its
 * declaration is stripped from the SDK's types: declared here, and checked to exist at run time.
 */
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";

declare module "@pulumi/pulumi/runtime/settings" {
  /** Resolves when no resource RPC is outstanding. */
  export function waitForRPCs(): Promise<void>;
}

/** Resolves when every resource registration started so far has been answered by the mocks. */
export async function settled(): Promise<void> {
  if (typeof settings.waitForRPCs !== "function") throw new Error("@pulumi/pulumi no longer exports runtime waitForRPCs: update test/support/pulumi.ts");
  await settings.waitForRPCs();
}

/** An Output's value (under mocks every Output resolves). */
export function unwrap<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise<T>((resolve) =>
    output.apply((value) => {
      resolve(value);
      return value;
    }),
  );
}
