/**
 * The admission policies, evaluated with a real CEL implementation (test/admission/evaluate.ts) on
 * pods: the prod reference plan's high-memory workload, its pod template turned into a Pod of the
 * team namespace, is admitted by every policy; a privileged pod is refused; each policy refuses one
 * change of its own. And differential agreement: for every fixture, each check that mirrors a
 * policy-pack rule gives the pack rule's verdict on the same pod wrapped in a Job, a StatefulSet and
 * a CronJob, both as Kyverno evaluates the Pod and as its autogen evaluates the controller.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../policies/rules";
import type { RuleResource } from "../../policies/rules/types";
import { admissionPolicies, admissionPolicyDefinitions, checkMessage, PLATFORM_IMAGE_REGISTRIES, TEAM_NAMESPACE_LABEL } from "../../components/internal";
import { isFromAllowedRegistry } from "../../policies/rules/images";
import { previewStack } from "../../tools/preview/run";
import { referenceProject } from "../support/stack-configs";
import { autogen, failures, type PolicyObject } from "./evaluate";

type Pod = { apiVersion: string; kind: string; metadata: Record<string, unknown>; spec: Record<string, unknown> & { containers: Record<string, unknown>[] } };
const REGISTRIES = ["docker.io/library", "public.ecr.aws"];
/** The generated policies; null: without a registry allow-list. */
const policies = (mode: "enforce" | "audit" = "enforce", allowedRegistries: readonly string[] | null = REGISTRIES) =>
  admissionPolicies({
    mode,
    teamLabel: TEAM_NAMESPACE_LABEL,
    excludedNamespaces: ["kube-system"],
    timeoutSeconds: 10,
    ...(allowedRegistries ? { allowedRegistries } : {}),
  }) as unknown as PolicyObject[];

let reference: Pod;
beforeAll(async () => {
  const plan = (await previewStack("prod", { root: referenceProject(), evaluatePolicies: () => [] })).plan;
  const workload = plan.resources.find((r) => r.type === "kubernetes:batch/v1:Job" && r.urn.includes("highmem:workloads:HighMemoryWorkload"));
  if (!workload) throw new Error("the prod reference plan has no HighMemoryWorkload Job");
  const template = (workload.inputs["spec"] as { template: { metadata: Record<string, unknown>; spec: Pod["spec"] } }).template;
  const namespace = String((workload.inputs["metadata"] as { namespace: string }).namespace);
  reference = { apiVersion: "v1", kind: "Pod", metadata: { ...template.metadata, name: "reference", namespace }, spec: template.spec };
});

const clone = (): Pod => structuredClone(reference);
const main = (p: Pod) => p.spec.containers[0]!;
const sc = (p: Pod) => (main(p)["securityContext"] ??= {}) as Record<string, unknown>;
const res = (p: Pod) => main(p)["resources"] as { requests: Record<string, string>; limits: Record<string, string> };

/** One change to the reference pod, and the messages it must fail (no other). */
const DENY: readonly [string, (p: Pod) => void, readonly string[]][] = [
  ["no cpu request", (p) => delete res(p).requests["cpu"], ["k8s-requests-and-memory-limits", "cpu request equals its cpu limit"]],
  ["no memory limit", (p) => delete res(p).limits["memory"], ["k8s-requests-and-memory-limits", "k8s-high-memory-guaranteed"]],
  ["a high-memory pod requesting less memory than its limit", (p) => (res(p).requests["memory"] = "64Gi"), ["k8s-high-memory-guaranteed"]],
  ["a high-memory pod requesting less cpu than its limit", (p) => (res(p).requests["cpu"] = "4"), ["cpu request equals its cpu limit"]],
  ["a high-memory pod without the pool's node affinity", (p) => delete p.spec["affinity"], ["require the high-memory pools"]],
  ["a high-memory pod whose affinity also admits the general pool", (p) => setAffinityValues(p, ["high-memory", "general"]), ["require the high-memory pools"]],
  ["an image from another registry", (p) => (main(p)["image"] = "ghcr.io/someone/miner:1.0"), ["Images come from the allowed registries"]],
  ["a Docker Hub image outside library/", (p) => (main(p)["image"] = "someone/python:3.12"), ["Images come from the allowed registries"]],
  ["an image tagged latest", (p) => (main(p)["image"] = "python:latest"), ["k8s-pinned-image-tags"]],
  ["allowPrivilegeEscalation unset", (p) => delete sc(p)["allowPrivilegeEscalation"], ["k8s-no-privilege-escalation"]],
  ["an Unconfined seccomp profile", (p) => (sc(p)["seccompProfile"] = { type: "Unconfined" }), ["k8s-restricted-seccomp-capabilities"]],
  [
    "an added SYS_ADMIN capability",
    (p) => (sc(p)["capabilities"] = { drop: ["ALL"], add: ["SYS_ADMIN"] }),
    ["k8s-restricted-seccomp-capabilities", "no capability but NET_BIND_SERVICE"],
  ],
  [
    "a container that overrides runAsNonRoot with false",
    (p) => (sc(p)["runAsNonRoot"] = false),
    // The container's own false wins over the pod's true: the mirrored rule and Pod Security's own check both refuse it.
    ["k8s-run-as-non-root", "runsAsNonRoot-override"],
  ],
  ["hostPID", (p) => (p.spec["hostPID"] = true), ["k8s-no-host-namespaces"]],
  ["a hostPath volume", (p) => (p.spec["volumes"] as unknown[]).push({ name: "host", hostPath: { path: "/" } }), ["volumes are configMap"]],
  ["a host port", (p) => (main(p)["ports"] = [{ containerPort: 8080, hostPort: 8080 }]), ["no host ports"]],
  [
    "an init container without resources",
    (p) => (p.spec["initContainers"] = [{ ...structuredClone(main(p)), name: "init", resources: {} }]),
    ["k8s-requests-and-memory-limits", "cpu request equals its cpu limit"],
  ],
];

function setAffinityValues(p: Pod, values: string[]) {
  const terms = (
    p.spec["affinity"] as {
      nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: { matchExpressions: { values: string[] }[] }[] } };
    }
  ).nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms;
  terms[0]!.matchExpressions[0]!.values = values;
}

/** The privileged pod of the issue: privileged, host network, added capabilities, root. */
function privileged(p: Pod) {
  p.spec["hostNetwork"] = true;
  p.spec["securityContext"] = { runAsUser: 0 };
  main(p)["securityContext"] = { privileged: true, allowPrivilegeEscalation: true, runAsUser: 0, capabilities: { add: ["SYS_ADMIN", "NET_ADMIN"] } };
}

const matches = (message: string, key: string) =>
  key === "runsAsNonRoot-override" ? message.includes("runAsNonRoot to false") : message.includes(key.startsWith("k8s-") ? `policy-pack rule ${key})` : key);

describe("admission policies on the prod reference workload", () => {
  it("admit its pod in the team namespace: no check fails or raises, in either mode", () => {
    expect(failures(policies("enforce"), reference)).toEqual([]);
    expect(failures(policies("audit"), reference)).toEqual([]);
  });

  it("deny a privileged pod (privileged, hostNetwork, added capabilities, root) on each of those counts", () => {
    const p = clone();
    privileged(p);
    const failed = failures(policies(), p);
    expect(failed.filter((f) => f.error)).toEqual([]);
    for (const key of [
      "k8s-no-privilege-escalation",
      "k8s-no-host-namespaces",
      "no capability but NET_BIND_SERVICE",
      "run as user 0",
      "k8s-restricted-seccomp-capabilities",
    ]) {
      expect(
        failed.some((f) => (key === "run as user 0" ? f.message.includes("runs as user 0") : matches(f.message, key))),
        key,
      ).toBe(true);
    }
  });

  it.each(DENY)("deny %s, on that check only", (_name, change, expected) => {
    const p = clone();
    change(p);
    const failed = failures(policies(), p);
    expect(failed.filter((f) => f.error)).toEqual([]);
    expect(failed.length, JSON.stringify(failed)).toBe(expected.length);
    for (const key of expected)
      expect(
        failed.some((f) => matches(f.message, key)),
        key,
      ).toBe(true);
  });

  it("apply the high-memory checks only to pods that tolerate the high-memory taint", () => {
    const p = clone();
    delete p.spec["tolerations"];
    delete p.spec["affinity"];
    res(p).requests["memory"] = "64Gi";
    expect(failures(policies(), p)).toEqual([]);
  });

  it("normalise image references as Docker does before matching the allowed registry prefixes", () => {
    const verdict = (image: string) => {
      const p = clone();
      main(p)["image"] = image;
      return failures(policies(), p).length === 0;
    };
    expect(verdict("python:3.12.12-slim-bookworm")).toBe(true);
    expect(verdict("docker.io/library/python:3.12")).toBe(true);
    expect(verdict("public.ecr.aws/aws-cli/aws-cli:2.32.9")).toBe(true);
    expect(verdict("docker.io/libraryx/python:3.12")).toBe(false);
    expect(verdict("public.ecr.aws.evil.example/aws-cli:2")).toBe(false);
    expect(verdict("localhost:5000/python:3.12")).toBe(false);
    expect(verdict("ghcr.io/docker.io/library/python:3.12")).toBe(false);
    expect(verdict("index.docker.io/library/python:3.12")).toBe(true);
    expect(verdict("python@sha256:" + "a".repeat(64))).toBe(true);
    expect(verdict("Public.ECR.aws/aws-cli/aws-cli:2")).toBe(false);
    expect(verdict("")).toBe(false);
  });

  it("decide every image as the policy pack's registry check does, with the platform's default list", () => {
    const images = [
      ...PLATFORM_IMAGE_REGISTRIES.map((r) => `${r}/app:1.0`),
      "python:3.12",
      "valkey/valkey:8.1.8-alpine",
      "oliver006/redis_exporter:v1.74.0",
      "grafana/grafana:12.1.0",
      "someone/valkey:8",
      "index.docker.io/valkey/valkey:8",
      "registry.k8s.io/pause:3.10",
      "registry.k8s.io.evil.example/pause:3.10",
      "quay.io/prometheus/node-exporter:v1.9.1",
      "quay.io/someone/node-exporter:v1",
      "ghcr.io/kedacore/keda:2.19.0",
      "ghcr.io/kedacore-fork/keda:2.19.0",
      "reg.kyverno.io/kyverno/kyverno:v1.19.0",
      "localhost:5000/valkey:8",
      `public.ecr.aws/karpenter/controller:1.8.1@sha256:${"b".repeat(64)}`,
    ];
    const platform = admissionPolicies({
      mode: "enforce",
      teamLabel: TEAM_NAMESPACE_LABEL,
      excludedNamespaces: [],
      timeoutSeconds: 10,
      allowedRegistries: PLATFORM_IMAGE_REGISTRIES,
    }) as unknown as PolicyObject[];
    for (const image of images) {
      const p = clone();
      main(p)["image"] = image;
      const admitted = !failures(platform, p).some((f) => f.policy === "highmem-team-images");
      expect(admitted, image).toBe(isFromAllowedRegistry(image, PLATFORM_IMAGE_REGISTRIES));
    }
  });

  it("match an entry naming a whole repository by the image's name without its tag", () => {
    const verdict = (image: string) => {
      const p = clone();
      main(p)["image"] = image;
      return failures(policies("enforce", ["docker.io/library/python"]), p).length === 0;
    };
    expect(verdict("python:3.12.12-slim-bookworm")).toBe(true);
    expect(verdict("docker.io/library/python:3.12")).toBe(true);
    expect(verdict("pythonx:3.12")).toBe(false);
    expect(verdict("localhost:5000/docker.io/library/python:3")).toBe(false);
  });

  it("require a sha256 digest only when asked", () => {
    const digest = "python@sha256:" + "0123456789abcdef".repeat(4);
    const withDigests = admissionPolicies({
      mode: "enforce",
      teamLabel: TEAM_NAMESPACE_LABEL,
      excludedNamespaces: [],
      timeoutSeconds: 10,
      requireImageDigests: true,
    }) as unknown as PolicyObject[];
    const p = clone();
    expect(failures(withDigests, p).map((f) => f.message)).toEqual(["Images are pinned by a sha256 digest."]);
    main(p)["image"] = digest;
    expect(failures(withDigests, p)).toEqual([]);
    main(p)["image"] = "python:3.12@sha256:" + "A".repeat(64);
    expect(failures(withDigests, p).map((f) => f.message)).toEqual(["Images are pinned by a sha256 digest."]);
  });

  it("have no registry check without allowedRegistries", () => {
    const p = clone();
    main(p)["image"] = "ghcr.io/someone/miner:1.0";
    expect(failures(policies("enforce", null), p)).toEqual([]);
  });
});

const MIRRORED = [...new Set(admissionPolicyDefinitions(REGISTRIES).flatMap((p) => p.checks.flatMap((c) => (c.rule ? [c.rule] : []))))];
const wrap = (p: Pod, kind: "Job" | "StatefulSet" | "CronJob"): { object: Record<string, unknown>; resource: RuleResource } => {
  const template = { metadata: p.metadata, spec: p.spec };
  const spec = kind === "CronJob" ? { schedule: "0 3 * * *", jobTemplate: { spec: { template } } } : { template };
  const object = { apiVersion: kind === "StatefulSet" ? "apps/v1" : "batch/v1", kind, metadata: { name: "w", namespace: p.metadata["namespace"] }, spec };
  const type = `kubernetes:${kind === "StatefulSet" ? "apps/v1" : "batch/v1"}:${kind}`;
  return { object, resource: { urn: `urn:${kind}`, type, name: "w", inputs: object, protect: false, deleteBeforeReplace: false } };
};

describe("admission policies agree with the policy pack", () => {
  it("mirror pack rules that exist, and take their descriptions as messages", () => {
    expect(MIRRORED.length).toBeGreaterThanOrEqual(6);
    for (const id of MIRRORED) expect(RULES.map((r) => r.id)).toContain(id);
    for (const c of admissionPolicyDefinitions(REGISTRIES).flatMap((p) => p.checks))
      if (c.rule) expect(checkMessage(c)).toContain(RULES.find((r) => r.id === c.rule)!.description);
  });

  const fixtures = () => [
    ["the reference pod", clone()] as const,
    ...DENY.map(([name, change]) => {
      const p = clone();
      change(p);
      return [name, p] as const;
    }),
    ...[["the privileged pod", privileged] as const].map(([name, change]) => {
      const p = clone();
      change(p);
      return [name, p] as const;
    }),
  ];

  it.each(["Job", "StatefulSet", "CronJob"] as const)("give the pack rule's verdict for every fixture pod, on the Pod and on it wrapped in a %s", (kind) => {
    const generated = policies();
    const rewritten = generated.map((p) => autogen(p, kind));
    for (const [name, pod] of fixtures()) {
      const { object, resource } = wrap(pod, kind);
      const onPod = failures(generated, pod);
      const onController = failures(rewritten, object);
      expect(
        onController.filter((f) => f.error),
        `${name}: autogen on ${kind}`,
      ).toEqual([]);
      for (const id of MIRRORED) {
        const rule = RULES.find((r) => r.id === id)!;
        if (rule.kind !== "resource") throw new Error(`${id} is a stack rule`);
        const pack = rule.check(resource, {}) === undefined;
        const fails = (list: typeof onPod) => list.some((f) => f.message.includes(`policy-pack rule ${id})`));
        expect(!fails(onPod), `${name}: ${id} on the Pod vs the pack on a ${kind}`).toBe(pack);
        expect(!fails(onController), `${name}: ${id} on the ${kind} (autogen) vs the pack`).toBe(pack);
      }
    }
  });
});
