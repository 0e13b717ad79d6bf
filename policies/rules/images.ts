/**
 * Container image references: their normal form, the registries a stack allows and whether a digest
 * pins them. Pure, shared by the pack's rules and the admission policies (helper modules import it).
 */
// The pins module itself (pure, no imports), not the components index: see workloads.ts.
import { PLATFORM_IMAGE_REGISTRIES } from "../../components/versions";
import type { RuleContext } from "./types";

/** An image reference split the way container runtimes read it. */
export interface ImageReference {
  /** Registry host (with port), "docker.io" for Docker Hub. */
  readonly domain: string;
  /** Repository path within the registry, "library/redis" for the official `redis`. */
  readonly path: string;
  readonly tag?: string;
  /** "sha256:<64 hex>" when the reference pins one. */
  readonly digest?: string;
  /** domain/path: what an allowed-registry entry is matched against. */
  readonly name: string;
}

/**
 * The canonical form of an image reference, by the Docker reference grammar
 * (distribution/reference normalize.go, splitDockerDomain and ParseNormalizedNamed): the first path
 * component is a registry when it is "localhost", holds a "." or ":", or is not lowercase; otherwise
 * the image is on Docker Hub ("docker.io"), whose legacy name index.docker.io is canonicalised, and a
 * one-component Docker Hub name is an official image under "library/". `redis:7` is
 * docker.io/library/redis tag 7; `valkey/valkey:8` is docker.io/valkey/valkey tag 8.
 */
export function normalizeImage(reference: string): ImageReference {
  const [named = "", digest] = reference.trim().split("@", 2);
  const slash = named.indexOf("/");
  let domain = "docker.io";
  let remainder = named;
  if (slash >= 0) {
    const first = named.slice(0, slash);
    if (first === "localhost" || /[.:]/.test(first) || first.toLowerCase() !== first) {
      domain = first === "index.docker.io" ? "docker.io" : first;
      remainder = named.slice(slash + 1);
    }
  }
  // The tag follows the last ":" after the last "/" (a ":" before it belongs to a registry port).
  const tagAt = remainder.lastIndexOf(":");
  const hasTag = tagAt > remainder.lastIndexOf("/");
  let path = hasTag ? remainder.slice(0, tagAt) : remainder;
  if (domain === "docker.io" && !path.includes("/")) path = `library/${path}`;
  return {
    domain,
    path,
    ...(hasTag ? { tag: remainder.slice(tagAt + 1) } : {}),
    ...(digest !== undefined ? { digest } : {}),
    name: `${domain}/${path}`,
  };
}

/** The registries a stack allows: its config's `imageRegistries`, else the platform's own. */
export function allowedRegistries(context: RuleContext): readonly string[] {
  return context.imageRegistries ?? PLATFORM_IMAGE_REGISTRIES;
}

/** Whether an image's normalised name lies under an allowed entry (a registry host or host/path prefix). */
export function isFromAllowedRegistry(image: string, registries: readonly string[]): boolean {
  const { name } = normalizeImage(image);
  return registries.some((entry) => {
    const prefix = entry.replace(/\/+$/, "");
    return name === prefix || name.startsWith(`${prefix}/`);
  });
}

/** Whether the reference pins a sha256 digest (OCI image spec, descriptor digests: algorithm sha256, 64 lowercase hex). */
export const isDigestPinned = (image: string): boolean => /^sha256:[a-f0-9]{64}$/.test(normalizeImage(image).digest ?? "");

/** What is wrong with one image under a stack's image settings, or nothing. */
export function imageProblem(image: string, context: RuleContext): string | undefined {
  if (image.trim() === "") return "has no image";
  if (!isFromAllowedRegistry(image, allowedRegistries(context))) return `image ${image} (${normalizeImage(image).name}) is from no allowed registry`;
  if (context.requireImageDigests === true && !isDigestPinned(image)) return `image ${image} is not pinned by a sha256 digest`;
  return undefined;
}

/** What is wrong with an allowed-registry entry written in config, or nothing. */
export function registryEntryProblem(entry: string): string | undefined {
  const [host = "", ...path] = entry.split("/");
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+(:[0-9]+)?$|^localhost(:[0-9]+)?$/.test(host))
    return "must start with a registry host such as registry.example.com or docker.io (Docker Hub names are written docker.io/<namespace>)";
  if (path.some((p) => !/^[a-z0-9]+([._-][a-z0-9]+)*$/.test(p))) return "path components after the host must be lowercase repository components";
  return undefined;
}
