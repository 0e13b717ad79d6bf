/**
 * A V8 code cache for CommonJS modules, for the offline preview's start-up (Node 20 has no
 * module.enableCompileCache). Most of a preview's wall time is V8 compiling @pulumi/pulumi, the AWS
 * SDK and their dependencies; with cached code that work is skipped on every run after the first.
 *
 * Modules are compiled with vm.Script exactly as Node wraps them, plus cachedData. A module that
 * calls import() is left to Node: a script compiled from cached data has no dynamic-import callback
 * on Node 20. The cache is one blob keyed by a digest of each module's source, so an edited or
 * upgraded module is recompiled.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import Module = require("node:module");
import { dirname, join } from "node:path";
import vm = require("node:vm");

interface CompilableModule {
  exports: unknown;
  require(id: string): unknown;
  _compile(content: string, filename: string): unknown;
}
type ModuleStatics = typeof Module & {
  prototype: CompilableModule;
  wrap(content: string): string;
  _resolveFilename(request: string, parent: unknown, isMain: boolean, options?: unknown): string;
  _extensions: unknown;
  _cache: unknown;
};

const CACHE_DIR = join(__dirname, "..", "..", "..", "node_modules", ".cache", "offline-preview");
const INDEX = join(CACHE_DIR, "index.json");
const BLOB = join(CACHE_DIR, "code.bin");

function loadCache(): { index: Record<string, [number, number]>; blob: Buffer } {
  try {
    return { index: JSON.parse(readFileSync(INDEX, "utf8")) as Record<string, [number, number]>, blob: readFileSync(BLOB) };
  } catch {
    return { index: {}, blob: Buffer.alloc(0) };
  }
}

export function enableCompileCache(): void {
  const M = Module as ModuleStatics;
  const { index, blob } = loadCache();
  const fresh = new Map<string, Buffer>();
  const originalCompile = M.prototype._compile;

  M.prototype._compile = function compileWithCache(this: CompilableModule, content: string, filename: string) {
    // Only dependencies and our own compiled output; anything else compiles as usual.
    const cacheable = (filename.includes("/node_modules/") || filename.includes("/dist/")) && !content.includes("import(");
    if (!cacheable) return originalCompile.call(this, content, filename);
    const key = createHash("sha1").update(filename).update(content).digest("base64url");
    const slot = index[key];
    const script = new vm.Script(M.wrap(content.startsWith("#!") ? `//${content}` : content), {
      filename,
      ...(slot ? { cachedData: blob.subarray(slot[0], slot[0] + slot[1]) } : {}),
    });
    if (!slot || script.cachedDataRejected) fresh.set(key, script.createCachedData());
    const mod = this;
    const localRequire = Object.assign((id: string) => mod.require(id), {
      resolve: (request: string, options?: unknown) => M._resolveFilename(request, mod, false, options),
      main: require.main,
      extensions: M._extensions,
      cache: M._cache,
    });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(mod.exports, mod.exports, localRequire, mod, filename, dirname(filename));
  };

  process.once("exit", () => {
    if (fresh.size === 0) return;
    try {
      const parts: Buffer[] = [];
      const nextIndex: Record<string, [number, number]> = {};
      let offset = 0;
      const add = (key: string, data: Buffer) => {
        nextIndex[key] = [offset, data.length];
        parts.push(data);
        offset += data.length;
      };
      for (const [key, [start, length]] of Object.entries(index)) if (!fresh.has(key)) add(key, blob.subarray(start, start + length));
      for (const [key, data] of fresh) add(key, data);
      if (!existsSync(CACHE_DIR)) mkdirSync(CACHE_DIR, { recursive: true });
      // Write then rename, so that a concurrent run never reads half a cache.
      writeFileSync(`${BLOB}.${process.pid}`, Buffer.concat(parts));
      writeFileSync(`${INDEX}.${process.pid}`, JSON.stringify(nextIndex));
      renameSync(`${BLOB}.${process.pid}`, BLOB);
      renameSync(`${INDEX}.${process.pid}`, INDEX);
    } catch {
      // A cache that cannot be written only costs speed.
    }
  });
}
