/** What config validation reports: every problem at once, each naming the key, the value and what is allowed. */
import type { z } from "zod";
import type { CONFIG_KEYS } from "./keys";

export interface ConfigProblem {
  /** Full key path, such as highmem-platform:clusterPublicAccessCidrs[0]. */
  readonly key: string;
  /** The offending value; absent when the key is missing. */
  readonly value?: unknown;
  /** What is wrong and what is allowed. */
  readonly message: string;
}

export class ConfigError extends Error {
  constructor(
    readonly stackName: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    const lines = problems.map((p) => `  - ${p.key}${"value" in p ? ` = ${JSON.stringify(p.value)}` : ""}: ${p.message}`);
    const count = problems.length === 1 ? "1 problem" : `${problems.length} problems`;
    super(`Invalid configuration for stack "${stackName}" (${count}); no resources were declared:\n${lines.join("\n")}`);
    this.name = "ConfigError";
  }
}

type ConfigKeyName = keyof typeof CONFIG_KEYS;

/** Every key's value after parsing: the declared type, checked against the key's rule. */
export type Values = { readonly [K in ConfigKeyName]: z.output<(typeof CONFIG_KEYS)[K]["schema"]> };

/** How a resolver reports a problem: the key (or an element of it), the value, the message. */
export type Problem = (
  key: ConfigKeyName | `${ConfigKeyName}[${number}]` | `${ConfigKeyName}[${number}].${string}` | "aws:region",
  value: unknown,
  message: string,
) => void;
