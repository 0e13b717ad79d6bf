/**
 * The plugin started the way the Node.js language host starts it for `pulumi package add`
 * (pulumi/pulumi sdk/nodejs/cmd/pulumi-language-nodejs/main.go RunPlugin: `node
 * @pulumi/pulumi/cmd/run-plugin <plugin dir>`, the module resolved from the plugin's folder), without
 * an engine: it must boot through ts-node, print its port, and answer GetSchema over gRPC with the
 * committed provider/schema.json.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import type * as grpc from "@grpc/grpc-js";
import { ResourceProviderClient } from "@pulumi/pulumi/proto/provider_grpc_pb";
import { GetSchemaRequest, type GetSchemaResponse } from "@pulumi/pulumi/proto/provider_pb";
import { afterAll, describe, expect, it } from "vitest";
import { PROVIDER_DIR, SCHEMA_FILE } from "../../tools/provider-schema";

// The gRPC library @pulumi/pulumi itself uses (a dependency of the SDK, not of this project).
const grpcJs = createRequire(require.resolve("@pulumi/pulumi"))("@grpc/grpc-js") as typeof grpc;
const runPlugin = createRequire(join(PROVIDER_DIR, "package.json")).resolve("@pulumi/pulumi/cmd/run-plugin");
let child: ChildProcess | undefined;

afterAll(() => {
  child?.kill();
});

function startPlugin(): Promise<number> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [runPlugin, PROVIDER_DIR], { cwd: PROVIDER_DIR, stdio: ["ignore", "pipe", "pipe"] });
    child = proc;
    let out = "";
    let err = "";
    proc.stdout?.on("data", (d: Buffer) => {
      out += d.toString();
      const port = /^(\d+)\s*$/m.exec(out);
      if (port?.[1]) resolve(Number(port[1]));
    });
    proc.stderr?.on("data", (d: Buffer) => (err += d.toString()));
    proc.on("exit", (code) => reject(new Error(`plugin exited (${code}) before printing its port:\n${out}\n${err}`)));
  });
}

describe("the plugin as the language host runs it", () => {
  it("boots without an engine and answers GetSchema with provider/schema.json", async () => {
    const port = await startPlugin();
    const client = new ResourceProviderClient(`127.0.0.1:${port}`, grpcJs.credentials.createInsecure());
    const response = await new Promise<GetSchemaResponse>((resolve, reject) => {
      client.getSchema(new GetSchemaRequest(), (e, r) => (e ? reject(e) : resolve(r)));
    });
    client.close();
    expect(JSON.parse(response.getSchema())).toEqual(JSON.parse(readFileSync(SCHEMA_FILE, "utf8")));
  }, 180_000);
});
