/**
 * Image references: the Docker normal form (distribution/reference normalize.go), the allowed-registry
 * match and the digest requirement, and that every image the platform runs (its pins and every chart
 * pod at the chart's defaults) lies inside its own default registry list.
 */
import { describe, expect, it } from "vitest";
import * as versions from "../../components/versions";
import { chartPods } from "../../components/lib/charts";
import { allowedRegistries, imageProblem, isDigestPinned, isFromAllowedRegistry, normalizeImage, registryEntryProblem } from "../../policies/rules/images";
import { containersOf } from "../../policies/rules/pod-checks";

const DIGEST = `sha256:${"a".repeat(64)}`;

describe("normalizeImage", () => {
  it.each([
    ["redis:7", "docker.io", "library/redis", "7"],
    ["redis", "docker.io", "library/redis", undefined],
    ["valkey/valkey:8", "docker.io", "valkey/valkey", "8"],
    ["docker.io/redis:7", "docker.io", "library/redis", "7"],
    ["index.docker.io/valkey/valkey:8", "docker.io", "valkey/valkey", "8"],
    ["localhost/app:1", "localhost", "app", "1"],
    ["localhost:5000/team/app:1", "localhost:5000", "team/app", "1"],
    ["registry.example.com:5000/team/app", "registry.example.com:5000", "team/app", undefined],
    ["quay.io/prometheus/node-exporter:v1.10.2", "quay.io", "prometheus/node-exporter", "v1.10.2"],
    ["Registry/app:1", "Registry", "app", "1"],
  ])("%s -> %s/%s tag %s", (image, domain, path, tag) => {
    const n = normalizeImage(image);
    expect([n.domain, n.path, n.tag]).toEqual([domain, path, tag]);
    expect(n.name).toBe(`${domain}/${path}`);
  });

  it("keeps the digest apart from the tag", () => {
    expect(normalizeImage(`public.ecr.aws/karpenter/controller:1.8.0@${DIGEST}`)).toMatchObject({
      tag: "1.8.0",
      digest: DIGEST,
      name: "public.ecr.aws/karpenter/controller",
    });
    expect(normalizeImage(`redis@${DIGEST}`)).toMatchObject({ name: "docker.io/library/redis", digest: DIGEST });
    expect(normalizeImage(`redis@${DIGEST}`).tag).toBeUndefined();
  });
});

describe("allowed registries", () => {
  const list = ["docker.io/library", "registry.k8s.io", "registry.example.com/team-a"];
  it.each([
    ["redis:7", true],
    ["docker.io/library/python:3.12", true],
    ["valkey/valkey:8", false],
    ["registry.k8s.io/pause:3.10.1", true],
    ["registry.k8s.io.evil.example/pause:1", false],
    ["registry.example.com/team-a/app:1", true],
    ["registry.example.com/team-ab/app:1", false],
    ["registry.example.com/app:1", false],
  ])("%s allowed: %s", (image, allowed) => {
    expect(isFromAllowedRegistry(image, list)).toBe(allowed);
  });

  it("falls back to the platform's own list when the context names none", () => {
    expect(allowedRegistries({})).toEqual(versions.PLATFORM_IMAGE_REGISTRIES);
    expect(imageProblem("ghcr.io/someone/tool:1", {})).toMatch(/no allowed registry/);
  });

  it("requires a sha256 digest only where the context says so", () => {
    expect(isDigestPinned(`redis:7@${DIGEST}`)).toBe(true);
    expect(isDigestPinned("redis:7@sha256:abc")).toBe(false);
    expect(imageProblem("redis:7", { requireImageDigests: false })).toBeUndefined();
    expect(imageProblem("redis:7", { requireImageDigests: true })).toMatch(/not pinned by a sha256 digest/);
    expect(imageProblem(`redis:7@${DIGEST}`, { requireImageDigests: true })).toBeUndefined();
  });

  it.each([
    ["docker.io/library", undefined],
    ["registry.example.com:5000/team", undefined],
    ["localhost:5000", undefined],
    ["valkey", /registry host/],
    ["https://registry.example.com", /registry host/],
    ["registry.example.com/Team", /lowercase/],
  ])("config entry %s", (entry, problem) => {
    const found = registryEntryProblem(entry);
    if (problem === undefined) expect(found).toBeUndefined();
    else expect(found).toMatch(problem);
  });
});

describe("the platform's own images", () => {
  const pinned: [string, string][] = Object.entries(versions).flatMap(([name, value]): [string, string][] =>
    /_IMAGE$/.test(name) && typeof value === "string" ? [[name, value]] : [],
  );
  const charts = ["karpenter", "kube-prometheus-stack", "keda", "vertical-pod-autoscaler"];

  it("has image pins to check", () => {
    expect(pinned.length).toBeGreaterThan(5);
  });

  it.each(pinned)("pin %s (%s) is from a registry of PLATFORM_IMAGE_REGISTRIES", (_name, image) => {
    expect(isFromAllowedRegistry(image, versions.PLATFORM_IMAGE_REGISTRIES)).toBe(true);
  });

  it.each(charts)("every pod of chart %s at its defaults runs images from PLATFORM_IMAGE_REGISTRIES, each tagged", (chart) => {
    const pods = chartPods({ inputs: { chart, namespace: "x", values: {} } }) ?? [];
    expect(pods.length).toBeGreaterThan(0);
    for (const pod of pods) {
      for (const c of containersOf(pod.spec)) {
        const image = String(c["image"]);
        expect(isFromAllowedRegistry(image, versions.PLATFORM_IMAGE_REGISTRIES), `${chart} ${pod.component}: ${image}`).toBe(true);
        expect(normalizeImage(image).tag, `${chart} ${pod.component}: ${image}`).toMatch(/^v?\d/);
      }
    }
  });
});
