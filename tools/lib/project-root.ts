/** The repository root: the nearest folder above this file that holds package.json (sources and dist/ alike). */
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";

export function projectRoot(from: string = __dirname): string {
  let dir = from;
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}
