import { fileURLToPath } from "node:url";

// packages/cli/assets, found from src/ and from the bundle in dist/ alike (both sit one level below the package).
const ASSETS = new URL("../assets/", import.meta.url);

/** The simulated organization `aigov demo` and `aigov sim` run. */
export const DEMO_WORLD = fileURLToPath(new URL("demo-world.yaml", ASSETS));
/** The policy `aigov demo` judges it with. */
export const DEMO_POLICY = fileURLToPath(new URL("demo-policy.yaml", ASSETS));
