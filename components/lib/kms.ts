/**
 * The platform's one decision about its KMS keys: they rotate yearly (KMS's automatic rotation,
 * `rotationPeriodInDays` 90-2560, 365 as the CIS AWS Foundations control asks) and a scheduled
 * deletion waits the longest window KMS allows (30 days), so a mistaken delete can be cancelled.
 */
export const KEY_LIFECYCLE = { enableKeyRotation: true, rotationPeriodInDays: 365, deletionWindowInDays: 30 } as const;
