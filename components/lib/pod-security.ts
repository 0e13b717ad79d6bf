/**
 * The annotation that says why a namespace runs pods at the privileged Pod Security level (or
 * enforces no level: Pod Security Admission then admits anything, its default enforce level being
 * privileged: Kubernetes docs, "Enforce Pod Security Standards by Configuring the Built-in Admission
 * Controller", defaults). The policy pack requires it on every such namespace. Pure: the pack imports it.
 */
export const PRIVILEGED_REASON_ANNOTATION = "highmem.io/privileged-reason";
