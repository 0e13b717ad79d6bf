/**
 * npm run addons:verify -- [--kubernetes-version MINOR ...] [--from-file FILE]
 *
 * Before `pulumi up` (the deploy workflow runs it with the deploy role's credentials): asks the EKS
 * API which add-on builds exist for each pinned Kubernetes minor (`aws eks describe-addon-versions`,
 * the AWS CLI paginates the whole answer), and fails listing the offered builds for every pin the
 * API does not have. --from-file reads a saved answer instead (one minor). Exit codes: 0 all pins
 * offered, 1 a pin is not, 2 usage error or the AWS CLI failed.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { KUBERNETES_RELEASES, SUPPORTED_KUBERNETES_VERSIONS } from "../../components";
import { checkAddonPins, type DescribeAddonVersionsOutput } from "./pin-check";

function fail(code: number, message: string): never {
  console.error(message);
  process.exit(code);
}

const argv = process.argv.slice(2);
const minors: string[] = [];
let fromFile: string | undefined;
for (let i = 0; i < argv.length; i++) {
  if (argv[i] === "--kubernetes-version" && argv[i + 1]) minors.push(argv[++i]!);
  else if (argv[i] === "--from-file" && argv[i + 1]) fromFile = argv[++i];
  else fail(2, `unknown argument ${argv[i]}\nusage: npm run addons:verify -- [--kubernetes-version MINOR ...] [--from-file FILE]`);
}
const wanted = minors.length > 0 ? minors : [...SUPPORTED_KUBERNETES_VERSIONS];
if (fromFile && wanted.length !== 1) fail(2, "--from-file holds the answer for one Kubernetes version: name it with --kubernetes-version");

let failed = false;
for (const minor of wanted) {
  const release = KUBERNETES_RELEASES[minor];
  if (!release) fail(2, `Kubernetes ${minor} has no pins; pinned: ${SUPPORTED_KUBERNETES_VERSIONS.join(", ")}`);
  let text: string;
  try {
    text = fromFile
      ? readFileSync(fromFile, "utf8")
      : execFileSync("aws", ["eks", "describe-addon-versions", "--kubernetes-version", minor, "--output", "json"], {
          encoding: "utf8",
          maxBuffer: 64 * 1024 * 1024,
        });
  } catch (error) {
    fail(
      2,
      `could not ask the EKS API (aws eks describe-addon-versions --kubernetes-version ${minor}): ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const problems = checkAddonPins(minor, release.addons, JSON.parse(text) as DescribeAddonVersionsOutput);
  for (const p of problems) console.error(`✗ ${p.message}`);
  if (problems.length === 0) console.log(`✓ Kubernetes ${minor}: all ${Object.keys(release.addons).length} add-on pins are offered`);
  failed ||= problems.length > 0;
}
process.exitCode = failed ? 1 : 0;
