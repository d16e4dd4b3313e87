// Before any test runs, the `aigov` executable is built (packages/cli/scripts/build.ts) as it ships: the end-to-end
// tests then run the bundle users run. Built once here, never by a test, since test files run side by side.
import { buildCli } from "../packages/cli/scripts/build.ts";

export default async function setup(): Promise<void> {
  await buildCli();
}
