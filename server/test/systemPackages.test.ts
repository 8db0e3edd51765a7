import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

/**
 * `scripts/ensure-system-packages.sh`, the `pretest` that makes sure of the Debian packages
 * the tests start, run for real by bash with stand-ins for dpkg-query (which hides the packages
 * named in HIDDEN, as dpkg-query does a package it does not know) and apt-get (which only
 * writes down how it was called). The non-root case runs as `nobody`, not as a pretend.
 */
const SCRIPT = join(import.meta.dirname, "../../scripts/ensure-system-packages.sh");
const PACKAGES = ["chromium", "redis-server", "postgresql"];
const IS_ROOT = process.getuid?.() === 0;

// Everything in a directory `nobody` may read, and a log it may write, so that an apt-get
// call made as `nobody` would be seen too.
const dir = join(tmpdir(), `percorso-system-packages-${process.pid}`);
const stubs = join(dir, "bin");
const log = join(dir, "apt-get.log");
const script = join(dir, "ensure-system-packages.sh");

beforeAll(() => {
  for (const folder of [dir, stubs]) {
    mkdirSync(folder, { recursive: true });
    chmodSync(folder, 0o755);
  }
  copyFileSync(SCRIPT, script);
  const stub = (name: string, lines: string[]) =>
    writeFileSync(join(stubs, name), ["#!/bin/bash", ...lines, ""].join("\n"), { mode: 0o755 });
  stub("dpkg-query", [
    'package="${@: -1}"',
    'if [[ $HIDDEN == all || " $HIDDEN " == *" $package "* ]]; then',
    '  echo "dpkg-query: no packages found matching $package" >&2; exit 1',
    "fi",
    // Removed but not purged: dpkg still knows it, with only its configuration files.
    'if [[ " $REMOVED " == *" $package "* ]]; then printf config-files; exit 0; fi',
    "printf installed",
  ]);
  stub("apt-get", ['echo "$*" >> "$APT_LOG"']);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(hidden: string, as: "root" | "nobody", removed = "") {
  writeFileSync(log, "");
  chmodSync(log, 0o666);
  const env = [
    `PATH=${stubs}:/usr/sbin:/usr/bin:/sbin:/bin`,
    `HIDDEN=${hidden}`,
    `REMOVED=${removed}`,
    `APT_LOG=${log}`,
  ];
  const command = ["/usr/bin/env", "-i", ...env, "/bin/bash", script];
  // As root, `runuser` drops to nobody; a test run by someone else is already not root.
  const [file, ...args] =
    as === "nobody" && IS_ROOT ? ["runuser", "-u", "nobody", "--", ...command] : command;
  const result = spawnSync(file!, args, { encoding: "utf8" });
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    aptGet: readFileSync(log, "utf8").split("\n").filter(Boolean),
  };
}

describe("scripts/ensure-system-packages.sh (npm test's pretest)", () => {
  it("says nothing and installs nothing when every package is there", () => {
    expect(run("", "root")).toEqual({ status: 0, stdout: "", stderr: "", aptGet: [] });
    expect(run("", "nobody")).toEqual({ status: 0, stdout: "", stderr: "", aptGet: [] });
  });

  it.skipIf(!IS_ROOT)("checks exactly Chromium, Redis and PostgreSQL", () => {
    const { status, aptGet } = run("all", "root");
    expect(status).toBe(0);
    expect(aptGet.at(-1)).toBe(`install -y -qq --no-install-recommends ${PACKAGES.join(" ")}`);
  });

  it.skipIf(!IS_ROOT)(
    "counts a removed package whose configuration files remain as missing",
    () => {
      const { status, aptGet } = run("", "root", "postgresql");
      expect(status).toBe(0);
      expect(aptGet).toEqual(["update -qq", "install -y -qq --no-install-recommends postgresql"]);
    },
  );

  describe.each(PACKAGES)("with %s missing", (missing) => {
    it.skipIf(!IS_ROOT)("as root, installs it, and only it, with one apt-get update", () => {
      expect(run(missing, "root")).toEqual({
        status: 0,
        stdout: `Installing the Debian packages the tests need: ${missing}\n`,
        stderr: "",
        aptGet: ["update -qq", `install -y -qq --no-install-recommends ${missing}`],
      });
    });

    it("as another user, stops at once naming the command, and runs no apt-get", () => {
      const { status, stdout, stderr, aptGet } = run(missing, "nobody");
      expect(status).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toContain(`not installed: ${missing}.`);
      expect(stderr).toContain(
        `\n  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing}\n`,
      );
      expect(aptGet).toEqual([]);
    });
  });
});
