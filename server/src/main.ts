import { enableCompileCache } from "node:module";

/**
 * Process entry. Node's compile cache comes first (the modules type-stripped and compiled, kept
 * on disk between runs — NODE_COMPILE_CACHE, or the system's temporary directory): a restart
 * then boots in about 0.3 s instead of 0.5 here. It only ever speeds up; where the directory
 * cannot be written, Node goes on without it.
 */
enableCompileCache();
await import("./process.ts");
