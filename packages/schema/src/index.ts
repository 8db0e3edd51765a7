export * from "./documents.ts";
export * from "./roots.ts";
export * from "./roles.ts";
export * from "./permissions.ts";
export * from "./closeCodes.ts";
export * from "./types.ts";
