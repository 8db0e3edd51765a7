import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 90_000,
    hookTimeout: 90_000,
    fileParallelism: false,
    // A browser page waits on a real server: an export or a version's text is made in a worker
    // thread that starts on first use, and a busy 2-core machine can take more than the 1 s
    // vitest gives a poll by default. Polls still fail when the condition never holds.
    expect: { poll: { timeout: 10_000 } },
  },
});
