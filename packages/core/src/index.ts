export * from "./errors.ts";
export * from "./finding.ts";
export * from "./model.ts";
export * from "./unknown.ts";
export * from "./scanner.ts";
export * from "./ai-key-patterns.ts";
