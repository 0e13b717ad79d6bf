/** The general keys of the config registry (see ../keys.ts for the conventions). */
import { z } from "zod";
import { list, oneOf, pattern } from "../validators";
import { TIERS } from "../tiers";
import type { ConfigKeySpec } from "../keys";

const TAG = pattern(/^(?!aws:)[\w .:/=+@-]{1,128}=[\w .:/=+@-]{0,256}$/, 'a "key=value" tag (key 1-128 characters, not starting with aws:)');

export const GENERAL_KEYS = {
  tier: {
    group: "general",
    type: "string",
    description:
      "Environment tier: dev (small and cheap), staging, or prod (highly available and protected). Picks the defaults of every key whose default is a tier default.",
    schema: oneOf(TIERS),
  },
  namePrefix: {
    group: "general",
    type: "string",
    description: 'Prefix of every physical resource name (cluster, roles, keys). Empty means "hm-<stack>". Changing it replaces every named resource.',
    default: "",
    schema: z.union([z.literal(""), pattern(/^[a-z][a-z0-9-]{1,18}[a-z0-9]$/, "3-20 lowercase letters, digits and hyphens, starting with a letter")]),
  },
  tags: {
    group: "general",
    type: "array",
    description: 'Extra tags for every AWS resource, as "key=value" strings.',
    default: [],
    schema: list(TAG, 40),
  },
} as const satisfies Record<string, ConfigKeySpec>;
