import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { toPlain } from "../../tools/preview/recorder";
import { SECRET_SIG, SIG_KEY } from "../../tools/preview/plan";
import { recordProgram } from "./record-program";

class Outer extends pulumi.ComponentResource {
  constructor(name: string) {
    super("t:index:Outer", name);
    const inner = new Inner(`${name}-inner`, { parent: this });
    new Leaf(`${name}-leaf`, { parent: inner, protect: true, dependsOn: [inner], aliases: [{ name: "old-leaf" }] });
    this.registerOutputs({});
  }
}
class Leaf extends pulumi.CustomResource {
  constructor(name: string, opts: pulumi.CustomResourceOptions) {
    super("t:index:Leaf", name, { size: 1 }, opts);
  }
}
class Inner extends pulumi.ComponentResource {
  constructor(name: string, opts: pulumi.ComponentResourceOptions) {
    super("t:index:Inner", name, {}, opts);
    this.registerOutputs({});
  }
}

const record = recordProgram;

describe("ResourceRecorder", () => {
  it("computes URNs with the whole parent type chain, as the engine does, and records options the mocks cannot see", async () => {
    const resources = await record(() => new Outer("o"));
    const leaf = resources.find((r) => r.name === "o-leaf")!;
    expect(leaf.urn).toBe("urn:pulumi:dev::proj::t:index:Outer$t:index:Inner$t:index:Leaf::o-leaf");
    expect(leaf.parent).toBe("urn:pulumi:dev::proj::t:index:Outer$t:index:Inner::o-inner");
    expect(leaf).toMatchObject({
      protect: true,
      retainOnDelete: false,
      dependsOn: [leaf.parent],
      aliases: [{ name: "old-leaf" }],
      inputs: { size: 1 },
      custom: true,
    });
    expect(resources.find((r) => r.name === "o")).toMatchObject({ parent: null, custom: false });
    // Inner sets no protect of its own, so it has its parent's (unprotected) value.
    expect(resources.find((r) => r.name === "o-inner")!.protect).toBe(false);
  });

  it("gives children their parent's protection, as the engine does, unless they set their own", async () => {
    const resources = await record(() => {
      const outer = new Inner("guarded", { protect: true });
      new Leaf("inherits", { parent: outer });
      new Leaf("opts-out", { parent: outer, protect: false });
    });
    expect(resources.find((r) => r.name === "inherits")!.protect).toBe(true);
    expect(resources.find((r) => r.name === "opts-out")!.protect).toBe(false);
  });

  it("records a reference to an existing resource (constructed with its URN) as nothing: the engine creates nothing for it", async () => {
    const resources = await record(() => {
      const existing = new Leaf("existing", {});
      // A reference to it, by its URN, as the SDK rehydrates a resource passed to a remote component.
      existing.urn.apply((urn) => new Leaf("reference", { urn }));
    });
    expect(resources.map((r) => r.name)).toEqual(["existing"]);
  });

  it("masks secrets with a digest that changes when the secret does", () => {
    const secret = (value: string) => ({ [SIG_KEY]: SECRET_SIG, value });
    const a = toPlain({ password: secret("one"), plain: "x" }) as Record<string, { "@secret": string }>;
    const b = toPlain({ password: secret("two") }) as Record<string, { "@secret": string }>;
    expect(a["plain"]).toBe("x");
    expect(a["password"]!["@secret"]).toMatch(/^sha256:[0-9a-f]{16}$/);
    expect(JSON.stringify(a)).not.toContain("one");
    expect(a["password"]).not.toEqual(b["password"]);
  });
});
