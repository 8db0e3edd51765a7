import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import AxeBuilder from "@axe-core/playwright";
import * as Y from "yjs";
import { WebsocketProvider } from "y-websocket";
import { listQuestions, setQuestionState } from "@percorso/schema";

/**
 * Browser-test support: the real server (a child process running `server/src/main.ts` on a
 * free port with its own SQLite file, serving the built app) and Debian's Chromium driven by
 * Playwright. Nothing is mocked.
 */
export const ADMIN_TOKEN = "browser-test-admin-token";
export const PROGRAMME = "toscana-2021";
const ROOT = resolve(import.meta.dirname, "../..");
export const SCREENSHOTS = resolve(import.meta.dirname, "../test-results/screenshots");

export interface RunningServer {
  url: string;
  invite(role: string, seminarId?: string): Promise<string>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      probe.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export async function startServer(): Promise<RunningServer> {
  const dataDir = mkdtempSync(join(tmpdir(), "percorso-browser-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(process.execPath, [join(ROOT, "server/src/main.ts")], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: "127.0.0.1",
      DATA_DIR: dataDir,
      ADMIN_TOKEN,
      LOG_LEVEL: "warn",
      CLIENT_DIR: join(ROOT, "client/dist"),
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (Date.now() > deadline) throw new Error("server did not start within 30 s");
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async invite(role, seminarId) {
      const response = await fetch(`${url}/api/invites`, {
        method: "POST",
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, "content-type": "application/json" },
        body: JSON.stringify({ role, programmeId: PROGRAMME, ...(seminarId ? { seminarId } : {}) }),
      });
      if (response.status !== 201) throw new Error(`invite failed: ${response.status}`);
      return ((await response.json()) as { url: string }).url;
    },
    async stop() {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Debian's Chromium (`/usr/bin/chromium`); never a downloaded browser. */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

export const DESKTOP = { width: 1280, height: 900 };
export const PHONE = { width: 360, height: 740 };

export async function newContext(browser: Browser, viewport = DESKTOP): Promise<BrowserContext> {
  const context = await browser.newContext({ viewport, locale: "it-IT" });
  context.setDefaultTimeout(15_000);
  return context;
}

/** Opens an invite link and goes through the join form. */
export async function joinByInvite(
  page: Page,
  inviteUrl: string,
  name: string,
  options: { actor?: string; anonymous?: boolean } = {},
): Promise<void> {
  await page.goto(inviteUrl);
  await page.getByLabel("Il tuo nome").fill(name);
  if (options.actor)
    await page.getByLabel(/Tipo di attore|Chi rappresenti/).selectOption(options.actor);
  if (options.anonymous) await page.getByLabel(/anonim/i).check();
  await page.getByRole("button", { name: /Entra/ }).click();
}

/** A screenshot of the whole page, or of the viewport only (a dialog over the page). */
export async function screenshot(page: Page, name: string, fullPage = true): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path, fullPage, animations: "disabled" });
  return path;
}

/** axe-core's serious and critical violations on the page as it stands (WCAG 2.1 AA rules). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    .analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
    );
}

/**
 * A stock y-websocket client in Node (Node's own WebSocket) on one of the server's documents,
 * for writing what a test starts from — a seminar's text, an answer — as an automation would.
 */
export interface DocumentClient {
  doc: Y.Doc;
  close(): void;
}

export async function openDocument(
  server: RunningServer,
  documentName: string,
  token: string = ADMIN_TOKEN,
): Promise<DocumentClient> {
  const doc = new Y.Doc();
  const provider = new WebsocketProvider(
    `${server.url.replace(/^http/, "ws")}/collab`,
    documentName,
    doc,
    {
      params: { token },
      disableBc: true,
    },
  );
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => fail(new Error(`no sync of ${documentName}`)), 15_000);
    provider.once("sync", () => {
      clearTimeout(timer);
      done();
    });
  });
  return {
    doc,
    close: () => {
      provider.destroy();
      doc.destroy();
    },
  };
}

/** Resolves once `condition` holds of `doc`, checked at once and after each of its updates. */
export function untilDocument(
  doc: Y.Doc,
  condition: () => boolean,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  return new Promise((done, fail) => {
    const check = () => {
      if (!condition()) return;
      clearTimeout(timer);
      doc.off("update", check);
      done();
    };
    const timer = setTimeout(() => {
      doc.off("update", check);
      fail(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    doc.on("update", check);
    check();
  });
}

/**
 * Opens a seminar's key questions as its facilitator would from the console (the starter
 * questions are drafts until then): `questionIds`, or every one not open yet. Resolves once the
 * server has them (a second client reads them back open).
 */
export async function openQuestions(
  server: RunningServer,
  seminarId: string,
  questionIds?: readonly string[],
): Promise<void> {
  const name = `seminar:${seminarId}`;
  const facilitator = await openDocument(server, name);
  const ids =
    questionIds ??
    listQuestions(facilitator.doc)
      .filter((q) => q.state !== "open")
      .map((q) => q.id);
  for (const id of ids) setQuestionState(facilitator.doc, id, "open");
  const reader = await openDocument(server, name);
  try {
    await untilDocument(
      reader.doc,
      () => {
        const open = new Set(
          listQuestions(reader.doc)
            .filter((q) => q.state === "open")
            .map((q) => q.id),
        );
        return ids.every((id) => open.has(id));
      },
      `${seminarId}'s questions open`,
    );
  } finally {
    reader.close();
    facilitator.close();
  }
}
