/**
 * How RedisCluster renders the engine and the topology Jobs: the engine's image and binary names in
 * the pods and Jobs, the zones from the subnets, and Job names that change with the topology only.
 */
import { Provider } from "@pulumi/kubernetes/provider";
import { describe, expect, it } from "vitest";
import { RedisCluster } from "../../components/redis/redis-cluster";
import { topologyHash } from "../../components/redis/topology-jobs";
import { REDIS_IMAGE, VALKEY_IMAGE } from "../../components/versions";
import { testMocks } from "../setup";
import { settled } from "../support/pulumi";

const provider = new Provider("k8s-topology-test", { kubeconfig: "{}" });
const args = { namespace: "data", provider, memoryGiB: 8, storageGiB: 20, storageClassName: "gp3", knownStorageClasses: ["gp3"] };
type Container = {
  name: string;
  image: string;
  command?: string[];
  env: { name: string; value?: string }[];
  readinessProbe?: { exec?: { command: string[] } };
};
type WithPod = { metadata: { name: string }; spec: { template: { spec: { containers: Container[] } } } };
const inputsOf = (name: string) => testMocks.registrations.find((r) => r.name === name)!.inputs as WithPod;
const envOf = (c: Container) => Object.fromEntries(c.env.map((e) => [e.name, e.value]));

describe("RedisCluster engine and topology Jobs", () => {
  it.each([
    ["valkey", VALKEY_IMAGE, "valkey-server", "valkey-cli"],
    ["redis", REDIS_IMAGE, "redis-server", "redis-cli"],
  ] as const)("runs %s: its image, server and client in the pods and both Jobs", async (engine, image, server, cli) => {
    new RedisCluster(`eng-${engine}`, { ...args, name: `e${engine}`, engine });
    await settled();
    const redis = inputsOf(`eng-${engine}-sts`).spec.template.spec.containers.find((c) => c.name === "redis")!;
    expect(redis.image).toBe(image);
    expect(envOf(redis)).toMatchObject({ SERVER_BIN: server, CLI_BIN: cli });
    expect(redis.readinessProbe!.exec!.command.join(" ")).toContain(`${cli} --no-auth-warning`);
    for (const kind of ["bootstrap", "drain"]) {
      const job = inputsOf(`eng-${engine}-${kind}`).spec.template.spec.containers[0]!;
      expect(job.image).toBe(image);
      expect(job.command).toEqual(["sh", `/etc/redis/${kind}.sh`]);
      expect(envOf(job)).toMatchObject({ CLI_BIN: cli, MASTERS: "3", REPLICAS: "1" });
    }
  });

  it("defaults to Valkey", async () => {
    new RedisCluster("eng-default", { ...args, name: "edefault" });
    await settled();
    expect(inputsOf("eng-default-sts").spec.template.spec.containers.find((c) => c.name === "redis")!.image).toBe(VALKEY_IMAGE);
  });

  it("gives the Jobs each subnet's zone, and refuses a subnet that is not a CIDR block or a zone that is not a name", async () => {
    new RedisCluster("zoned", {
      ...args,
      name: "zoned",
      zoneSubnets: [
        { zone: "eu-west-1a", cidr: "10.0.0.0/18" },
        { zone: "eu-west-1b", cidr: "10.0.64.0/18" },
      ],
    });
    await settled();
    expect(envOf(inputsOf("zoned-bootstrap").spec.template.spec.containers[0]!)["ZONE_CIDRS"]).toBe("10.0.0.0/18=eu-west-1a 10.0.64.0/18=eu-west-1b");
    expect(() => new RedisCluster("bad-cidr", { ...args, zoneSubnets: [{ zone: "a", cidr: "10.0.1.0/16" }] })).toThrow(
      /zoneSubnets\[0\]\.cidr" is "10.0.1.0\/16"/,
    );
    expect(() => new RedisCluster("bad-zone", { ...args, zoneSubnets: [{ zone: "Zone A", cidr: "10.0.0.0/16" }] })).toThrow(
      /zoneSubnets\[0\]\.zone" is "Zone A"/,
    );
    expect(() => new RedisCluster("bad-engine", { ...args, engine: "keydb" as "redis" })).toThrow(/argument "engine" is "keydb"; must be one of valkey, redis/);
  });

  it("names both Jobs after the topology: another master count is a new Job, another memory size is not", async () => {
    new RedisCluster("t3", { ...args, name: "t", masters: 3 });
    new RedisCluster("t4", { ...args, name: "t", masters: 4 });
    new RedisCluster("t3m", { ...args, name: "t", masters: 3, memoryGiB: 16, storageGiB: 40 });
    await settled();
    const name = (r: string) => inputsOf(r).metadata.name;
    expect(name("t3-bootstrap")).toMatch(/^t-bootstrap-[0-9a-f]{10}$/);
    expect(name("t3-drain")).toMatch(/^t-drain-[0-9a-f]{10}$/);
    expect(name("t4-bootstrap")).not.toBe(name("t3-bootstrap"));
    expect(name("t4-drain")).not.toBe(name("t3-drain"));
    expect(name("t3m-bootstrap")).toBe(name("t3-bootstrap"));
    const base = { nodes: ["a:1"], masters: 3, replicasPerMaster: 1, zoneCidrs: "" };
    expect(topologyHash({ ...base, replicasPerMaster: 2 })).not.toBe(topologyHash(base));
    expect(topologyHash({ ...base, zoneCidrs: "10.0.0.0/16=a" })).not.toBe(topologyHash(base));
  });
});
