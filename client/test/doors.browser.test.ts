import { copyFileSync, mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import { TOSCANA_2021, addSuggestion, listSections } from "@percorso/schema";
import {
  DESKTOP,
  PHONE,
  PROGRAMME,
  launchChromium,
  newContext,
  openDocument,
  screenshot,
  seriousViolations,
  startServer,
  untilDocument,
  type RunningServer,
} from "./support.ts";

/**
 * Issue 22, "a door for every role": each invite's join page names the programme and the event
 * it opens onto, asks only what that role needs, and lands where that person works; and the
 * public pages (the overview, "Esito delle proposte") read with no invite at all.
 */
const SEMINAR = "s2-economia-circolare";
const SEMINAR_TITLE = TOSCANA_2021.seminars.find((s) => s.id === SEMINAR)!.title;
const DOCS_SHOTS = resolve(import.meta.dirname, "../../docs/screenshots");

let server: RunningServer;
let browser: Browser;

interface Door {
  name: string;
  invite: () => Promise<string>;
  heading: string;
  event: string | RegExp;
  /** The anonymity checkbox's label, or null where the role is not offered one. */
  anonymous: string | null;
  actor: boolean;
  nameOptional: boolean;
  lands: string;
}

const DOORS: Door[] = [
  {
    name: "drafter",
    invite: () => server.invite("drafter"),
    heading: "Entra al tavolo di redazione",
    event: "Tavolo di redazione",
    anonymous: null,
    actor: true,
    nameOptional: false,
    lands: `/programmi/${PROGRAMME}/bozza`,
  },
  {
    name: "conference",
    invite: () => server.invite("participant"),
    heading: "Entra nella conferenza plenaria",
    event: `Conferenza plenaria · ${TOSCANA_2021.conference.title}`,
    anonymous: "Partecipa in forma anonima",
    actor: true,
    nameOptional: false,
    lands: `/programmi/${PROGRAMME}/conferenza`,
  },
  {
    name: "seminar-participant",
    invite: () => server.invite("participant", SEMINAR),
    heading: "Entra nel seminario",
    event: `Seminario 2 · ${SEMINAR_TITLE}`,
    anonymous: "Rispondi in forma anonima",
    actor: true,
    nameOptional: false,
    lands: `/seminari/${SEMINAR}`,
  },
  {
    name: "seminar-facilitator",
    invite: () => server.invite("facilitator", SEMINAR),
    heading: "Entra nel seminario",
    event: `Seminario 2 · ${SEMINAR_TITLE}`,
    anonymous: null,
    actor: false,
    nameOptional: false,
    lands: `/seminari/${SEMINAR}/console`,
  },
  {
    name: "observer",
    invite: () => server.invite("observer", SEMINAR),
    heading: "Entra nel seminario",
    event: `Seminario 2 · ${SEMINAR_TITLE}`,
    anonymous: null,
    actor: false,
    nameOptional: true,
    lands: `/seminari/${SEMINAR}`,
  },
];

async function pageWidth(page: Page): Promise<{ scroll: number; client: number }> {
  return page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  // One suggestion on the draft, so the public "Esito" has something to show.
  const draft = await openDocument(server, `draft:${PROGRAMME}`);
  const section = listSections(draft.doc)[0]!;
  addSuggestion(draft.doc, {
    section: section.key,
    originalText: "",
    proposedText: "Una proposta pubblica per la sezione",
    author: "Giulia Verdi",
    authorId: "giulia",
  });
  const witness = await openDocument(server, `draft:${PROGRAMME}`);
  await untilDocument(
    witness.doc,
    () => witness.doc.getArray("suggestions").length === 1,
    "the suggestion",
  );
  witness.close();
  draft.close();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("a door for every role (issue 22)", () => {
  for (const viewport of [DESKTOP, PHONE]) {
    for (const door of DOORS) {
      test(`${door.name} at ${viewport.width} px: names the event, asks only what the role needs, lands where they work`, async () => {
        const context = await newContext(browser, viewport);
        const page = await context.newPage();
        await page.goto(await door.invite());
        const form = page.locator("section.join");
        await expect
          .poll(() => page.getByRole("heading", { level: 1 }).textContent())
          .toBe(door.heading);
        await expect.poll(() => form.locator(".eyebrow").textContent()).toBe(TOSCANA_2021.title);
        expect(await form.locator(".join-event").textContent()).toEqual(door.event);
        expect(await page.getByLabel(/anonim/i).count()).toBe(door.anonymous ? 1 : 0);
        if (door.anonymous) await page.getByLabel(door.anonymous).waitFor();
        expect(await page.getByLabel("Chi rappresenti").count()).toBe(door.actor ? 1 : 0);
        const nameLabel = await page.locator("label", { hasText: "Il tuo nome" }).textContent();
        expect(nameLabel?.includes("facoltativo")).toBe(door.nameOptional);

        expect(await seriousViolations(page)).toEqual([]);
        const width = await pageWidth(page);
        expect(width.scroll).toBeLessThanOrEqual(width.client);
        if (viewport === PHONE) {
          const shot = await screenshot(page, `join-${door.name}-360`);
          mkdirSync(DOCS_SHOTS, { recursive: true });
          copyFileSync(shot, resolve(DOCS_SHOTS, `join-${door.name}-360.png`));
        }

        // An observer may leave the name empty; everyone else signs.
        if (!door.nameOptional) await page.getByLabel("Il tuo nome").fill("Marta Neri");
        await page.getByRole("button", { name: "Entra" }).click();
        await page.waitForURL((url) => url.pathname === door.lands);
        await context.close();
      });
    }
  }

  test("a projector link needs no one: straight to the seminar's screen", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${await server.invite("observer", SEMINAR)}&vista=proiettore`);
    await page.waitForURL((url) => url.pathname === `/seminari/${SEMINAR}/screen`);
    await context.close();
  });
});

describe("public pages are public (issue 22)", () => {
  for (const viewport of [DESKTOP, PHONE]) {
    test(`the overview links "Esito delle proposte", which reads with no token at ${viewport.width} px`, async () => {
      const context = await newContext(browser, viewport);
      const page = await context.newPage();
      const refused: string[] = [];
      page.on("response", (response) => {
        if (response.status() === 401 || response.status() === 403) refused.push(response.url());
      });
      await page.goto(server.url);
      await page.getByRole("heading", { level: 1, name: TOSCANA_2021.title }).waitFor();
      await page.getByRole("link", { name: "Esito delle proposte" }).click();
      await page.waitForURL((url) => url.pathname === `/programmi/${PROGRAMME}/esito`);
      await page.getByRole("heading", { level: 1, name: "Esito delle proposte" }).waitFor();
      await page.getByText("Una proposta pubblica per la sezione").first().waitFor();
      expect(await page.locator('[data-count="open"]').textContent()).toBe("1");
      expect(await page.getByText(/serve un invito/i).count()).toBe(0);
      expect(await seriousViolations(page)).toEqual([]);
      const width = await pageWidth(page);
      expect(width.scroll).toBeLessThanOrEqual(width.client);
      if (viewport === PHONE) {
        const shot = await screenshot(page, "esito-public-360");
        copyFileSync(shot, resolve(DOCS_SHOTS, "esito-public-360.png"));
      }
      expect(refused).toEqual([]);
      await context.close();
    });
  }
});
