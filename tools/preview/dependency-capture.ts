/**
 * Records, for every resource the program registers, the dependency URNs the SDK sends the engine.
 *
 * The Node SDK computes them in `prepareResource` (@pulumi/pulumi runtime/resource.js): the explicit
 * `dependsOn` resources and the resources behind every Output among the inputs, each component
 * expanded to the custom (and remote) resources it parents (runtime/dependsOn.js,
 * getAllTransitivelyReferencedResourceURNs), and sends them as `dependencies` in the
 * RegisterResourceRequest. Runtime mocks never show that request to `Mocks.newResource`, so the
 * capture wraps the mock monitor's `registerResource` and reads the request itself: the plan gets
 * exactly what the engine would receive, not our guess of it.
 *
 * Rechecked at @pulumi/pulumi 3.270.0: the mock monitor's registerResource still takes
 * (request, callback) (runtime/mocks.js; since 3.248.0 it only gained transform callbacks), and
 * prepareResource still sends `setDependenciesList(allDirectDependencyURNs)` (runtime/resource.js).
 */
import * as pulumi from "@pulumi/pulumi";

/** What the capture reads from a RegisterResourceRequest (resource_pb.js getters). */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getProvider(): string;
  getDependenciesList(): string[];
}

type RegisterResource = (request: RegisterRequest, callback: (error: unknown, response: unknown) => void) => unknown;

export interface CapturedRegistration {
  /** URNs as the mock monitor names them (see recorder.ts for the mapping to engine URNs). */
  readonly dependencies: readonly string[];
  /** The parent's mock URN, or "" for children of the stack. */
  readonly parent: string;
}

export class DependencyCapture {
  /** Keyed by "type::name" (the recorder refuses two resources with the same key). */
  readonly byKey = new Map<string, CapturedRegistration>();

  /** Wraps the mock monitor installed by `pulumi.runtime.setMocks`; call right after it. */
  install(): void {
    const monitor = pulumi.runtime.getMonitor();
    if (!monitor) throw new Error("offline preview: no resource monitor; call setMocks before capturing dependencies");
    // The mock monitor is a plain object with the grpc client's method names; its registerResource
    // takes (request, callback) like the generated client's simplest overload.
    const target = monitor as unknown as { registerResource: RegisterResource };
    const original = target.registerResource.bind(monitor);
    target.registerResource = (request, callback) => {
      this.byKey.set(`${request.getType()}::${request.getName()}`, {
        dependencies: request.getDependenciesList(),
        parent: request.getParent(),
      });
      return original(request, callback);
    };
  }
}
