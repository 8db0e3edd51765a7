import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const COMPOSE = fileURLToPath(new URL("../../docker/compose.yaml", import.meta.url));

/**
 * The scaled deployment's compose file, validated by Docker Compose itself (there is no Docker
 * engine on these machines to run it): `docker compose` when the plugin is there, else
 * Debian's `docker-compose`, which `.ci/run` installs.
 */
function composeConfig(env: Record<string, string>): string {
  const run = (command: string, args: string[]) =>
    execFileSync(command, args, {
      env: { ...process.env, ...env },
      stdio: ["ignore", "pipe", "pipe"],
    }).toString();
  try {
    run("docker", ["compose", "version"]);
    return run("docker", ["compose", "-f", COMPOSE, "config"]);
  } catch {
    return run("docker-compose", ["-f", COMPOSE, "config"]);
  }
}

describe("docker/compose.yaml", () => {
  it("is valid: two app processes on PostgreSQL and Redis behind a websocket-balancing proxy", () => {
    const config = composeConfig({ SECRET: "a-long-random-secret-for-the-check" });
    for (const service of ["app1:", "app2:", "proxy:", "postgres:", "redis:"]) {
      expect(config).toContain(service);
    }
    expect(config).toContain("DATABASE_URL: postgres://percorso:percorso@postgres:5432/percorso");
    expect(config).toContain("REDIS_URL: redis://redis:6379");
    expect(config).toContain("condition: service_healthy");
  });

  it("refuses to start without a shared SECRET", () => {
    expect(() => composeConfig({ SECRET: "" })).toThrow(/SECRET/);
  });
});
