import type { ScannerPlugin } from "@aigov/scanner-kit";

// Apart from policy-schema.ts, which composes the whole policy schema from every package's (the sinks' alone is
// 27 KB of code): every command checks a policy's `targets` with this, and loads the other parts only for a policy
// that has them.

/** `targets:`, one key per installed scanner with `section(plugin)` as its schema. */
export function targetsSchema(plugins: readonly ScannerPlugin[], section: (plugin: ScannerPlugin) => object): object {
  return {
    description:
      "what `aigov sweep` scans, one key per cloud; the scanner flags `aigov sweep --help` lists override it for one run",
    type: "object",
    additionalProperties: false,
    properties: Object.fromEntries(plugins.map((plugin) => [plugin.provider, section(plugin)])),
  };
}
