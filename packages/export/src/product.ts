import packageJson from "../package.json" with { type: "json" };

/** Who produced an exported record: every format names the product, vendor and version the same way. */
export const PRODUCT = {
  name: "aigov",
  vendor: "aigov",
  version: packageJson.version,
} as const;
