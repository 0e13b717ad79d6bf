/**
 * Load-time optimisation for the offline preview, imported before @pulumi/pulumi.
 *
 * @pulumi/pulumi eagerly loads its function-serialization machinery, which pulls in the TypeScript
 * compiler (~400 ms) and @npmcli/arborist (~330 ms) on every start, although a program that
 * serializes no functions (this one) never calls them. This hook hands those two modules out as
 * proxies that load the real module on first use, so nothing changes in behaviour; only the
 * start-up cost goes. Checked against @pulumi/pulumi 3.270.0 (runtime/closure/parseFunction.js and
 * codePaths.js); test/preview/startup.test.ts checks that the SDK then loads neither. Node 24 still routes every
 * require through Module._load (lib/internal/modules/cjs/loader.js), which this wraps. The real `pulumi` CLI path does not use this hook.
 */
// The CommonJS module object itself (Module._load is not part of the typed ESM import); the only
// require-style import of the project.
// eslint-disable-next-line @typescript-eslint/no-require-imports
import Module = require("node:module");

type Load = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;
const moduleInternals = Module as unknown as { _load: Load };

const DEFERRED: ReadonlyArray<{ request: string; from: string }> = [
  { request: "typescript-shim", from: "closure/parseFunction.js" },
  { request: "@npmcli/arborist", from: "closure/codePaths.js" },
  { request: "normalize-package-data", from: "closure/codePaths.js" },
  // fdir is gone: @pulumi/pulumi 3.249.0 dropped it (CHANGELOG.md, "Remove the `fdir` and
  // `picomatch` dependencies"); runtime/closure/codePaths.js at 3.270.0 requires only the three above.
];

const originalLoad = moduleInternals._load;
moduleInternals._load = function deferredLoad(this: unknown, request, parent, isMain) {
  const deferred = DEFERRED.some((d) => request.endsWith(d.request) && (parent?.filename ?? "").endsWith(d.from));
  if (!deferred) return originalLoad.call(this, request, parent, isMain);
  let real: Record<PropertyKey, unknown> | undefined;
  const load = () => (real ??= originalLoad.call(this, request, parent, isMain) as Record<PropertyKey, unknown>);
  // `__esModule: true` makes TypeScript's __importStar hand back the proxy itself instead of
  // copying (and so loading) every export up front.
  return new Proxy({}, {
    // A CommonJS module imported as a default (__importDefault) is its own default export.
    get: (_target, key) => (key === "__esModule" ? true : key === "default" && !("default" in load()) ? load() : load()[key]),
    has: (_target, key) => key in load(),
    ownKeys: () => Reflect.ownKeys(load()),
    getOwnPropertyDescriptor: (_target, key) => Object.getOwnPropertyDescriptor(load(), key),
  });
};
