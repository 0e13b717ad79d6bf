/** Argument checks and pure pieces of HighMemoryWorkload, beside the component so tests can use them. */
import type * as k8s from "@pulumi/kubernetes/types/input";
import type { PoolPlacement } from "../karpenter/pool-presets";
import { isDnsLabel, isDnsSubdomain } from "../lib/names";

/** An existing PersistentVolumeClaim mounted read-only. */
export interface ReadOnlyClaim {
  readonly claimName: string;
  /** Absolute path, e.g. "/data". */
  readonly mountPath: string;
}

/** The port the reference program listens on in a StatefulSet. */
export const REFERENCE_PORT = 8080;

/**
 * The reference program: prints the size of each mounted path (so the pod's log shows /dev/shm,
 * scratch and the data mount as the kernel sees them); lists each claim after `--read` and reads up
 * to 1 MiB of its first file, so that a Job completes only when listing and reading the data work
 * (through Mountpoint: s3:ListBucket, s3:GetObject and kms:Decrypt with the pod's role); then, for a
 * long-running pod, listens on REFERENCE_PORT so that its probes check it is alive.
 */
const REFERENCE_PROGRAM = [
  "import http.server, os, shutil, sys",
  "mode, args = sys.argv[1], sys.argv[2:]",
  "cut = args.index('--read') if '--read' in args else len(args)",
  "claims = args[cut + 1:]",
  "for path in args[:cut] + claims:",
  "    print(path, shutil.disk_usage(path), flush=True)",
  "for path in claims:",
  "    names = sorted(os.listdir(path))",
  "    print(path, len(names), 'entries', flush=True)",
  "    first = next((os.path.join(path, n) for n in names if os.path.isfile(os.path.join(path, n))), None)",
  "    if first:",
  "        with open(first, 'rb') as f:",
  "            print(first, len(f.read(1 << 20)), 'bytes read', flush=True)",
  "if mode == 'serve':",
  `    http.server.ThreadingHTTPServer(('', ${REFERENCE_PORT}), http.server.BaseHTTPRequestHandler).serve_forever()`,
].join("\n");

export function referenceCommand(serve: boolean, paths: readonly string[], claimPaths: readonly string[] = []): string[] {
  return ["python", "-c", REFERENCE_PROGRAM, serve ? "serve" : "once", ...paths, ...(claimPaths.length > 0 ? ["--read", ...claimPaths] : [])];
}

/** The helper's tolerations and a pool placement's, without duplicates. */
export function mergedTolerations(own: readonly k8s.core.v1.Toleration[], placement: PoolPlacement | undefined): k8s.core.v1.Toleration[] {
  const all: k8s.core.v1.Toleration[] = [...own, ...(placement?.tolerations ?? []).map((t) => ({ ...t }))];
  const key = (t: k8s.core.v1.Toleration) => JSON.stringify([t.key, t.operator, t.value, t.effect]);
  return all.filter((t, i) => all.findIndex((u) => key(u) === key(t)) === i);
}

export interface ArgProblem {
  readonly arg: string;
  readonly value: unknown;
  readonly allowed: string;
}

/** What is wrong with the arguments the helper does not check itself; empty when nothing. */
export function workloadArgsProblems(a: {
  readonly name: string;
  readonly kind: string;
  readonly image: string;
  readonly serviceAccountName: string;
  readonly replicas: number;
  readonly readOnlyClaims: readonly ReadOnlyClaim[];
  readonly memoryAutoscaling?: { readonly minReplicas: number; readonly maxReplicas: number; readonly averageUtilization?: number } | undefined;
}): ArgProblem[] {
  const problems: ArgProblem[] = [];
  const need = (ok: boolean, arg: string, value: unknown, allowed: string) => {
    if (!ok) problems.push({ arg, value, allowed });
  };
  // 52: a StatefulSet's pods carry controller-revision-hash "<name>-<10 characters>", a 63-character label value.
  need(isDnsLabel(a.name) && a.name.length <= 52, "name", a.name, "must be a DNS label (lowercase letters, digits, '-') of at most 52 characters");
  need(["StatefulSet", "Job"].includes(a.kind), "kind", a.kind, 'must be "StatefulSet" or "Job"');
  const tag = /:([^/:@]+)$/.exec(a.image)?.[1];
  need(
    a.image.includes("@sha256:") || (tag !== undefined && tag !== "latest"),
    "image",
    a.image,
    "must be pinned to a version tag or a digest, not untagged or :latest",
  );
  need(isDnsSubdomain(a.serviceAccountName), "serviceAccountName", a.serviceAccountName, "must be a ServiceAccount name");
  need(Number.isInteger(a.replicas) && a.replicas >= 1, "replicas", a.replicas, "must be a whole number of at least 1");
  const paths = a.readOnlyClaims.map((c) => c.mountPath);
  for (const [i, c] of a.readOnlyClaims.entries()) {
    need(isDnsSubdomain(c.claimName), `readOnlyClaims[${i}].claimName`, c.claimName, "must be a PersistentVolumeClaim name");
    need(
      /^\/[^:]+$/.test(c.mountPath) && c.mountPath !== "/",
      `readOnlyClaims[${i}].mountPath`,
      c.mountPath,
      "must be an absolute path other than / without ':'",
    );
    need(paths.indexOf(c.mountPath) === i, `readOnlyClaims[${i}].mountPath`, c.mountPath, "must differ from the other claims' mount paths");
  }
  const hpa = a.memoryAutoscaling;
  if (hpa !== undefined) {
    need(a.kind === "StatefulSet", "memoryAutoscaling", hpa, "applies to a StatefulSet only: a Job's pods run to completion");
    need(
      Number.isInteger(hpa.minReplicas) && Number.isInteger(hpa.maxReplicas) && hpa.minReplicas >= 1 && hpa.maxReplicas >= hpa.minReplicas,
      "memoryAutoscaling",
      hpa,
      "needs whole numbers with 1 <= minReplicas <= maxReplicas",
    );
    const u = hpa.averageUtilization ?? 80;
    need(u > 0 && u <= 100, "memoryAutoscaling.averageUtilization", u, "must be 1-100");
  }
  return problems;
}
