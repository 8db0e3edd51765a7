import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import type { Browser, Page } from "playwright-core";
import {
  addAnswer,
  addSuggestion,
  listQuestions,
  setQuestionState,
  setStatus,
  spotlightQuestion,
} from "@percorso/schema";
import {
  PHONE,
  PROGRAMME,
  joinByInvite,
  launchChromium,
  newContext,
  openDocument,
  screenshot,
  seriousViolations,
  startServer,
  untilDocument,
  type DocumentClient,
  type RunningServer,
} from "./support.ts";

/**
 * What the hall reads (issue 22) in Debian's Chromium against the real server: the plenary
 * screen at 1920×1080 with a section of twelve paragraphs and five suggestions shows every word
 * over its pages — the drafter turns them from the desk, a phone says which page is on the
 * screen — with no element beyond the screen and no suggestion cut; the projector shows six
 * short answers as six cards; and the pages that overflowed — the overview on a phone, the
 * desk's version comparison after a restore, the console's invites — fit their width.
 */
const DESK = `/programmi/${PROGRAMME}/bozza`;
const CONFERENCE = `/programmi/${PROGRAMME}/conferenza`;
const SECTION = "agenda-2030";
const SEMINAR = "s2-economia-circolare";
const SCREEN = { width: 1920, height: 1080 };
const WIDE = { width: 1440, height: 900 };

/** Twelve paragraphs of a plausible length, each with a word of its own to find it by. */
const PARAGRAPHS = Array.from(
  { length: 12 },
  (_, index) =>
    `Paragrafo ${index + 1}: la Regione sostiene gli obiettivi dell'Agenda 2030 con i partner ` +
    `del territorio, le associazioni delle diaspore e gli enti locali, e ne rende conto ogni ` +
    `anno in un rapporto pubblico che misura i progressi e indica le correzioni necessarie.`,
);
const SUGGESTIONS = Array.from(
  { length: 5 },
  (_, index) =>
    `Proposta ${index + 1}: la Regione sostiene gli obiettivi con tutti i partner del ` +
    `territorio e con le reti della cooperazione decentrata, rendendo conto dei risultati.`,
);

let server: RunningServer;
let browser: Browser;
const clients: DocumentClient[] = [];

/** Every element on the page that has a box, and any whose box leaves the viewport. */
async function outside(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const found: string[] = [];
    for (const element of document.querySelectorAll("body *")) {
      const box = element.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (box.left < -0.5 || box.top < -0.5 || box.right > innerWidth + 0.5) {
        found.push(`${element.tagName}.${element.className} ${JSON.stringify(box)}`);
      } else if (box.bottom > innerHeight + 0.5) {
        found.push(`${element.tagName}.${element.className} ${JSON.stringify(box)}`);
      }
    }
    return found;
  });
}

/** Whether the page is wider than its window. */
function overflows(page: Page): Promise<{ scroll: number; client: number }> {
  return page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    client: document.documentElement.clientWidth,
  }));
}

const normal = (text: string) => text.replace(/\s+/g, " ").trim();

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  // The chapter the drafting team presents: twelve paragraphs, and five suggestions on it.
  const draft = await openDocument(server, `draft:${PROGRAMME}`);
  clients.push(draft);
  const body = draft.doc.getXmlFragment("body");
  const nodes = body.toArray();
  const heading = nodes.findIndex(
    (node) => node instanceof Y.XmlElement && node.toString().includes(">Agenda 2030<"),
  );
  draft.doc.transact(() => {
    body.insert(
      heading + 1,
      PARAGRAPHS.map((words) => {
        const paragraph = new Y.XmlElement("paragraph");
        const text = new Y.XmlText();
        paragraph.insert(0, [text]);
        text.insert(0, words);
        return paragraph;
      }),
    );
  });
  // The participants' link on the screen, as the desk puts it there: its QR code takes room.
  draft.doc.getMap("plenary").set("joinUrl", `${server.url}/i/conferenza`);
  for (const [index, proposed] of SUGGESTIONS.entries()) {
    addSuggestion(draft.doc, {
      section: SECTION,
      originalText: "",
      proposedText: proposed,
      author: `Persona ${index + 1}`,
      authorId: `persona-${index + 1}`,
    });
  }
  const witness = await openDocument(server, `draft:${PROGRAMME}`);
  clients.push(witness);
  await untilDocument(
    witness.doc,
    () => witness.doc.getArray("suggestions").length === SUGGESTIONS.length,
    "the section and its suggestions on the server",
  );
});

afterAll(async () => {
  for (const client of clients) client.close();
  await browser?.close();
  await server?.stop();
});

describe("the plenary screen shows every word", () => {
  test("a section of twelve paragraphs and five suggestions, page by page at 1920×1080", async () => {
    const deskContext = await newContext(browser, WIDE);
    const desk = await deskContext.newPage();
    await joinByInvite(desk, await server.invite("drafter"), "Dora Redattrice", {
      actor: "public-body",
    });
    await desk.waitForURL(`**${DESK}`);
    await desk.locator('.connection[data-state="online"]').waitFor();
    await desk.getByRole("tab", { name: "Conferenza" }).click();

    const screenContext = await newContext(browser, SCREEN);
    const screen = await screenContext.newPage();
    const observer = new URL(await server.invite("observer"));
    observer.searchParams.set("vista", "plenaria");
    await screen.goto(observer.toString());
    await screen.waitForURL((url) => url.pathname === `/programmi/${PROGRAMME}/plenaria`);
    await screen.getByText("In attesa della sezione da presentare.").waitFor();
    await screen.getByRole("img", { name: "Codice QR per partecipare alla conferenza" }).waitFor();

    const phoneContext = await newContext(browser, PHONE);
    const phone = await phoneContext.newPage();
    await joinByInvite(phone, await server.invite("participant"), "Ada Rossi", { actor: "ngo" });
    await phone.waitForURL(`**${CONFERENCE}`);

    await desk.getByLabel("Sezione presentata alla plenaria").selectOption(SECTION);
    await screen.locator(".plenary-title", { hasText: "Agenda 2030" }).waitFor();
    const label = screen.locator(".plenary-page");
    await label.waitFor();
    const pages = Number(/di (\d+)/.exec((await label.textContent()) ?? "")?.[1]);
    expect(pages).toBeGreaterThanOrEqual(2);
    const controls = desk.getByRole("group", { name: "Pagine sullo schermo" });
    await expect.poll(() => controls.textContent()).toContain(`Pagina 1 di ${pages}`);

    const seen: string[] = [];
    for (let page = 1; page <= pages; page += 1) {
      await expect
        .poll(() => label.getAttribute("data-page"), { timeout: 5000 })
        .toBe(String(page));
      await screen.waitForTimeout(800); // the arrival's fade, so boxes are where they stay
      seen.push(normal(await screen.locator(".plenary-text").innerText()));
      expect(await outside(screen)).toEqual([]);
      // Body type within legible bounds.
      const size = await screen
        .locator(".plenary-text")
        .evaluate((element) => parseFloat(getComputedStyle(element).fontSize));
      expect(size).toBeGreaterThanOrEqual(24);
      // The phone says which page the screen shows, and marks its paragraphs.
      await expect
        .poll(() => phone.locator(".conf-screen-page").textContent())
        .toBe(`Sullo schermo: pagina ${page} di ${pages}`);
      const marked = await phone
        .locator(`.conf-section[data-section="${SECTION}"] .conf-text > .on-screen`)
        .allInnerTexts();
      expect(marked.length).toBeGreaterThan(0);
      expect(seen.at(-1)).toContain(normal(marked[0]!));
      if (page <= 2) await screenshot(screen, `plenary-screen-long-${page}`, false);
      if (page === 1) expect(await seriousViolations(screen)).toEqual([]);
      if (page < pages) await controls.getByRole("button", { name: "Pagina successiva" }).click();
    }
    expect(await controls.getByRole("button", { name: "Pagina successiva" }).isDisabled()).toBe(
      true,
    );
    const all = seen.join(" ");
    for (const paragraph of PARAGRAPHS) expect(all).toContain(paragraph);

    // Suggestions: only whole ones, and how many more there are.
    const shown = screen.locator(".plenary-suggestions > li:not([hidden])");
    const count = await shown.count();
    expect(count).toBeGreaterThanOrEqual(1);
    for (const item of await shown.all()) {
      const text = normal(await item.innerText());
      expect(SUGGESTIONS.some((s) => text.includes(s.slice(0, 60)))).toBe(true);
    }
    if (count < SUGGESTIONS.length) {
      const more = SUGGESTIONS.length - count;
      expect(await screen.locator(".plenary-more").textContent()).toBe(
        more === 1
          ? "e un'altra proposta, che non sta sullo schermo"
          : `e altre ${more} proposte, che non stanno sullo schermo`,
      );
    } else {
      expect(await screen.locator(".plenary-more").count()).toBe(0);
    }

    // Back to the first page.
    for (let page = pages; page > 1; page -= 1) {
      await controls.getByRole("button", { name: "Pagina precedente" }).click();
    }
    await expect.poll(() => label.getAttribute("data-page")).toBe("1");
    for (const context of [deskContext, screenContext, phoneContext]) await context.close();
  });
});

describe("the projector uses the room", () => {
  test("six short answers are six cards, with the join QR code shown too", async () => {
    const seminar = await openDocument(server, `seminar:${SEMINAR}`);
    clients.push(seminar);
    const doc = seminar.doc;
    const question = listQuestions(doc)[0]!;
    setStatus(doc, "live");
    setQuestionState(doc, question.id, "open");
    spotlightQuestion(doc, question.id);
    for (const [index, text] of [
      "Filiere corte",
      "Riuso dei materiali edili",
      "Mense scolastiche senza plastica",
      "Nuove professioni del riciclo",
      "Un marchio regionale",
      "Riparare invece di buttare",
    ].entries()) {
      addAnswer(doc, {
        questionId: question.id,
        text,
        author: `P${index}`,
        authorId: `p-${index}`,
      });
    }
    const observer = new URL(await server.invite("observer", SEMINAR));
    const context = await newContext(browser, SCREEN);
    const projector = await context.newPage();
    await projector.goto(
      `${server.url}/seminari/${SEMINAR}/screen?token=${observer.searchParams.get("token")}`,
    );
    const visible = projector.locator(".projector-card:not([hidden])");
    await expect.poll(() => visible.count(), { timeout: 10_000 }).toBe(6);
    expect(await projector.locator(".projector-more").count()).toBe(0);
    // With the QR code beside them, still all six.
    doc.getMap("session").set("joinUrl", `${server.url}/i/abc`);
    await projector.locator(".projector-join img").waitFor();
    await projector.waitForTimeout(700);
    await expect.poll(() => visible.count(), { timeout: 10_000 }).toBe(6);
    expect(await projector.locator(".projector-more").count()).toBe(0);
    expect(await outside(projector)).toEqual([]);
    await screenshot(projector, "projector-six-short", false);
    await context.close();
  });
});

describe("nothing is wider than its window", () => {
  test("the overview on a 360 px phone: the timeline scrolls in its own box", async () => {
    const context = await newContext(browser, PHONE);
    const page = await context.newPage();
    await joinByInvite(page, await server.invite("participant"), "Ugo Neri", { actor: "ngo" });
    await page.waitForURL(`**${CONFERENCE}`);
    await page.goto(`${server.url}/`);
    const timeline = page.locator(".gantt-scroll");
    await timeline.waitFor();
    const width = await overflows(page);
    expect(width.scroll).toBeLessThanOrEqual(width.client);
    const box = (await timeline.boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    // It scrolls, with a shadow at the edge where more of it is.
    expect(await timeline.evaluate((e) => e.scrollWidth > e.clientWidth)).toBe(true);
    expect(await timeline.evaluate((e) => getComputedStyle(e).backgroundImage)).toContain(
      "radial-gradient",
    );
    await screenshot(page, "overview-timeline-phone", false);
    await context.close();
  });

  test("the desk's versions after a restore, and their comparison, at 1440 px", async () => {
    const context = await newContext(browser, WIDE);
    const page = await context.newPage();
    await joinByInvite(page, await server.invite("drafter"), "Dario Redattore", {
      actor: "public-body",
    });
    await page.waitForURL(`**${DESK}`);
    await page.locator('.connection[data-state="online"]').waitFor();
    await page.getByRole("tab", { name: "Versioni" }).click();
    const versions = page.getByRole("region", { name: "Versioni" });
    const name = "Bozza per la conferenza regionale, dopo la seconda lettura della redazione";
    await versions.getByLabel("Nome della versione").fill(name);
    await versions.getByRole("button", { name: "Salva versione" }).click();
    const saved = versions.locator(".version-item", { hasText: name });
    await saved.waitFor();
    await saved.getByRole("button", { name: `Ripristina la versione «${name}»` }).click();
    const confirm = page.getByRole("dialog", { name: /Ripristinare la versione/ });
    await confirm.getByRole("button", { name: "Ripristina" }).click();
    await confirm.waitFor({ state: "detached" });
    await expect.poll(() => versions.locator(".version-item").count()).toBeGreaterThan(1);
    let width = await overflows(page);
    expect(width.scroll).toBeLessThanOrEqual(width.client);
    await versions.locator(".compare-form").getByRole("button", { name: "Confronta" }).click();
    const compare = page.getByRole("dialog", { name: /^Da «/ });
    await compare.waitFor();
    await page.waitForTimeout(500);
    width = await overflows(page);
    expect(width.scroll).toBeLessThanOrEqual(width.client);
    const dialog = (await compare.boundingBox())!;
    expect(dialog.x + dialog.width).toBeLessThanOrEqual(WIDE.width);
    await screenshot(page, "versions-compare-1440", false);
    await context.close();
  });

  test("the console's invites at 1440 px: Revoca whole inside its table", async () => {
    await server.invite("participant", SEMINAR);
    await server.invite("observer", SEMINAR);
    const context = await newContext(browser, WIDE);
    const page = await context.newPage();
    await joinByInvite(page, await server.invite("facilitator", SEMINAR), "Fabio Facilitatore");
    await page.goto(`${server.url}/seminari/${SEMINAR}/console`);
    const table = page.locator(".console-panel .table-scroll").first();
    await table.waitFor();
    const revoke = table.getByRole("button", { name: "Revoca" }).first();
    await revoke.waitFor();
    const width = await overflows(page);
    expect(width.scroll).toBeLessThanOrEqual(width.client);
    const box = (await table.boundingBox())!;
    for (const button of await table.getByRole("button", { name: "Revoca" }).all()) {
      const own = (await button.boundingBox())!;
      expect(own.x).toBeGreaterThanOrEqual(box.x);
      expect(own.x + own.width).toBeLessThanOrEqual(box.x + box.width + 0.5);
    }
    expect(await table.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
    await screenshot(page, "console-invites-1440", false);
    await context.close();
  });
});
