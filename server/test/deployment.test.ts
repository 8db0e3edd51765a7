import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

const COMPOSE = fileURLToPath(new URL("../../docker/compose.yaml", import.meta.url));
const COMPOSE_TEXT = readFileSync(COMPOSE, "utf8");

/**
 * The scaled deployment's compose file, checked the way Docker Compose loads it, with no Docker
 * on these machines: the YAML read with its `<<` merges, the variables substituted by the
 * Compose Specification's interpolation rules, the result validated against the
 * specification's JSON schema (compose-go's `schema/compose-spec.json`, the one Compose itself
 * validates with, kept in `compose-spec/` with its licence), then what the schema cannot say:
 * the services, volumes and files the services name exist.
 */
const validateSchema = new Ajv2020({
  allErrors: true,
  // Written for Compose's Go validator: union types and `patternProperties` without
  // `type: object`, which Ajv's strict mode would refuse to compile.
  strict: false,
}).compile(
  JSON.parse(
    readFileSync(new URL("./compose-spec/compose-spec.json", import.meta.url), "utf8"),
  ) as object,
);

interface Service {
  build?: string | { context?: string; dockerfile?: string };
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[] };
  volumes?: (string | { type?: string; source?: string })[];
}
interface ComposeFile {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

/** `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR-default}`, `${VAR:?error}`, `${VAR?error}`,
 * `${VAR:+replacement}`, `${VAR+replacement}` and `$$`, as the specification defines them. */
function interpolate(text: string, env: Record<string, string>): string {
  const substituted = text.replace(
    /\$(?:(\$)|\{([A-Za-z_]\w*)(?:(:?[-?+])([^}]*))?\}|([A-Za-z_]\w*))/g,
    (_, dollar?: string, braced?: string, operator?: string, word = "", bare?: string) => {
      if (dollar) return "\u0000";
      const name = (braced ?? bare)!;
      const value = env[name];
      const set = operator?.startsWith(":") ? Boolean(value) : value !== undefined;
      switch (operator?.replace(":", "")) {
        case "-":
          return set ? value! : word;
        case "?":
          if (!set) throw new Error(`required variable ${name} is missing a value: ${word}`);
          return value!;
        case "+":
          return set ? word : "";
        default:
          return value ?? "";
      }
    },
  );
  if (/\$\{/.test(substituted)) throw new Error(`invalid interpolation format in "${text}"`);
  return substituted.replaceAll("\u0000", "$");
}

function interpolateAll(value: unknown, env: Record<string, string>): unknown {
  if (typeof value === "string") return interpolate(value, env);
  if (Array.isArray(value)) return value.map((item) => interpolateAll(item, env));
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, interpolateAll(item, env)]),
    );
  return value;
}

/** What the schema cannot see: every service, volume and file named is there. */
function unresolved(config: ComposeFile, base: string): string[] {
  const problems: string[] = [];
  for (const [name, service] of Object.entries(config.services)) {
    // The short form, a list of names, waits for nothing but the start.
    const dependencies: Record<string, { condition?: string }> = Array.isArray(service.depends_on)
      ? Object.fromEntries(service.depends_on.map((other) => [other, {}]))
      : (service.depends_on ?? {});
    for (const [other, { condition }] of Object.entries(dependencies)) {
      if (!config.services[other]) problems.push(`${name} depends on undefined service ${other}`);
      else if (condition === "service_healthy" && !config.services[other].healthcheck)
        problems.push(`${name} waits for ${other} to be healthy, but ${other} has no healthcheck`);
    }
    for (const volume of service.volumes ?? []) {
      const source = typeof volume === "string" ? volume.split(":")[0]! : (volume.source ?? "");
      if (/^[./~]/.test(source)) {
        if (!existsSync(resolve(base, source)))
          problems.push(`${name} mounts ${source}, which does not exist`);
      } else if (source && !Object.hasOwn(config.volumes ?? {}, source))
        problems.push(`service "${name}" refers to undefined volume ${source}`);
    }
    if (service.build) {
      const { context = ".", dockerfile = "Dockerfile" } =
        typeof service.build === "string" ? { context: service.build } : service.build;
      if (!existsSync(resolve(base, context, dockerfile)))
        problems.push(`${name} builds from ${dockerfile} in ${context}, which does not exist`);
    }
  }
  return problems;
}

/** The compose file as Compose would run it with `env`, or an error saying why not. */
function composeConfig(env: Record<string, string>, text = COMPOSE_TEXT): ComposeFile {
  const config = interpolateAll(parse(text, { merge: true }), env);
  if (!validateSchema(config))
    throw new Error(
      validateSchema
        .errors!.map(
          (error) => `${error.instancePath} ${error.message} ${JSON.stringify(error.params)}`,
        )
        .join("\n"),
    );
  const problems = unresolved(config as ComposeFile, dirname(COMPOSE));
  if (problems.length) throw new Error(problems.join("\n"));
  return config as ComposeFile;
}

const ENV = { SECRET: "a-long-random-secret-for-the-check" };

describe("docker/compose.yaml", () => {
  it("is valid: two app processes on PostgreSQL and Redis behind a websocket-balancing proxy", () => {
    const config = composeConfig(ENV);
    expect(Object.keys(config.services).sort()).toEqual([
      "app1",
      "app2",
      "postgres",
      "proxy",
      "redis",
    ]);
    for (const app of [config.services.app1!, config.services.app2!]) {
      expect(app.environment).toMatchObject({
        SECRET: ENV.SECRET,
        DATABASE_URL: "postgres://percorso:percorso@postgres:5432/percorso",
        REDIS_URL: "redis://redis:6379",
        PUBLIC_URL: "http://localhost:8080",
        TRUST_PROXY: "1",
      });
      expect(app.depends_on).toEqual({
        postgres: { condition: "service_healthy" },
        redis: { condition: "service_healthy" },
      });
    }
    expect(config.services.proxy!.depends_on).toEqual(["app1", "app2"]);
    expect(composeConfig({ ...ENV, POSTGRES_PASSWORD: "p" }).services.app1!.environment).toEqual(
      expect.objectContaining({ DATABASE_URL: "postgres://percorso:p@postgres:5432/percorso" }),
    );
  });

  it("refuses to start without a shared SECRET", () => {
    expect(() => composeConfig({})).toThrow(
      "required variable SECRET is missing a value: set SECRET to a long random string",
    );
    expect(() => composeConfig({ SECRET: "" })).toThrow(/SECRET/);
  });

  // The check itself must be able to fail: each broken copy of the real file is refused.
  it.each([
    [
      "a misspelt key",
      ["restart: unless-stopped", "restrat: unless-stopped"],
      '/services/app1 must NOT have additional properties {"additionalProperty":"restrat"}',
    ],
    [
      "a dependency condition Compose does not have",
      ["condition: service_healthy", "condition: healthy"],
      "/services/app1/depends_on/postgres/condition must be equal to one of the allowed values",
    ],
    [
      "a port that is not a port",
      ['- "8080:8080"', "- [8080, 8080]"],
      "/services/proxy/ports/0 must match exactly one schema in oneOf",
    ],
    [
      "a dependency on a service that is not there",
      ["- app2\n", "- app3\n"],
      "proxy depends on undefined service app3",
    ],
    [
      "a wait for a healthy service that has no healthcheck",
      [
        'healthcheck:\n      test: ["CMD", "redis-cli"',
        'x-unused:\n      test: ["CMD", "redis-cli"',
      ],
      "app1 waits for redis to be healthy, but redis has no healthcheck",
    ],
    [
      "an undeclared volume",
      ["- caddydata:/data", "- caddy-data:/data"],
      'service "proxy" refers to undefined volume caddy-data',
    ],
    [
      "a mounted file that is not there",
      ["./Caddyfile:", "./Caddyfile.missing:"],
      "proxy mounts ./Caddyfile.missing, which does not exist",
    ],
    [
      "an unclosed variable",
      ["${LOG_LEVEL:-info}", "${LOG_LEVEL:-info"],
      'invalid interpolation format in "${LOG_LEVEL:-info"',
    ],
  ] as const)("refuses %s", (_, [from, to], error) => {
    expect(COMPOSE_TEXT).toContain(from);
    expect(() => composeConfig(ENV, COMPOSE_TEXT.replace(from, to))).toThrow(error);
  });
});
