import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  DESKTOP,
  PHONE,
  joinByInvite,
  launchChromium,
  newContext,
  screenshot,
  seriousViolations,
  openQuestions,
  startServer,
  type RunningServer,
} from "./support.ts";

/**
 * The seminar room in Debian's Chromium against the real server: two participants join by
 * invite link, answer, vote, co-write the recommendations with visible carets, and one of them
 * loses the network, keeps typing, reloads, and converges when it comes back.
 */
const SEMINAR = "s1-governance";
let server: RunningServer;
let browser: Browser;
let alice: { context: BrowserContext; page: Page };
/** The id of the answer Alice writes, as Bob's page shows it: the citation must carry it. */
let answerId: string | null = null;
let bob: { context: BrowserContext; page: Page };

async function participant(name: string, inviteUrl: string) {
  const context = await newContext(browser);
  const page = await context.newPage();
  await joinByInvite(page, inviteUrl, name);
  await page.waitForURL(`**/seminari/${SEMINAR}`);
  await page.locator('.connection[data-state="online"]').waitFor();
  return { context, page };
}

const editorOf = (page: Page) => page.locator(".editor-text");
const questionCard = (page: Page) => page.locator(".question-card").first();

beforeAll(async () => {
  server = await startServer();
  // The starter questions are drafts: the facilitator opens them, as on the seminar day.
  await openQuestions(server, SEMINAR);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("programme overview", () => {
  test("shows the programme, its seven seminars, the phases and the timeline", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(server.url);
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toContain("Toscana");
    await expect.poll(() => page.locator(".seminar-card").count()).toBe(7);
    expect(await page.locator(".phase-card").count()).toBe(4);
    const months = await page.locator(".gantt thead th").allTextContents();
    expect(months.length).toBe(10); // activity column + March…November
    await screenshot(page, "overview-desktop");
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    await screenshot(page, "overview-phone");
    expect(await seriousViolations(page)).toEqual([]);
    await context.close();
  });

  test("an invalid invite link says so instead of showing a blank page", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await page.goto(`${server.url}/join?token=not-a-real-token`);
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toBe("Link non valido o scaduto");
    await page.goto(`${server.url}/una/pagina/che/non/esiste`);
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toBe("Pagina non trovata");
    await context.close();
  });
});

describe("facilitator in the room", () => {
  test("creates the participants' invite link with its QR code, and the link works", async () => {
    const context = await newContext(browser);
    await context.grantPermissions(["clipboard-read", "clipboard-write"]);
    const page = await context.newPage();
    await joinByInvite(
      page,
      await server.invite("facilitator", SEMINAR),
      "Francesca Facilitatrice",
    );
    // A facilitator lands at the console; the room has the participants' link too.
    await page.waitForURL(`**/seminari/${SEMINAR}/console`);
    await page.goto(`${server.url}/seminari/${SEMINAR}`);
    await page.getByRole("button", { name: "Crea link per i partecipanti" }).click();
    const link = await page.getByLabel("Link d'invito per i partecipanti").inputValue();
    expect(link).toMatch(/\/i\/[\w-]+$/); // the short link, for QR codes
    await page.getByRole("img", { name: /Codice QR/ }).waitFor();
    await page.getByRole("button", { name: "Copia link" }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(link);

    const guest = await context.browser()!.newContext({ viewport: PHONE, locale: "it-IT" });
    const guestPage = await guest.newPage();
    await joinByInvite(guestPage, link, "Ospite in sala", { anonymous: true });
    await guestPage.waitForURL(`**/seminari/${SEMINAR}`);
    await expect
      .poll(() => page.locator(".presence-count").textContent())
      .toBe("2 persone presenti");
    await guest.close();
    await context.close();
  });
});

describe("seminar room with two participants", () => {
  beforeAll(async () => {
    const invite = await server.invite("participant", SEMINAR);
    alice = await participant("Alice Rossi", invite);
    bob = await participant("Bruno Bianchi", invite);
  });

  test("each sees the other present", async () => {
    for (const { page } of [alice, bob]) {
      await expect
        .poll(() => page.locator(".presence-list li").allTextContents())
        .toEqual(
          expect.arrayContaining([
            expect.stringContaining("Alice Rossi"),
            expect.stringContaining("Bruno Bianchi"),
          ]),
        );
    }
  });

  test("an answer typed by one appears live for the other, and a vote toggles for both", async () => {
    for (const { page } of [alice, bob])
      await page.getByRole("tab", { name: /Domande chiave/ }).click();
    const text = "Coinvolgere le associazioni della diaspora fin dalla progettazione";
    await questionCard(alice.page).getByRole("textbox").fill(text);
    await questionCard(alice.page).getByRole("button", { name: "Invia risposta" }).click();

    const bobAnswer = questionCard(bob.page).locator(".answer", { hasText: text });
    await bobAnswer.waitFor();
    expect(await bobAnswer.textContent()).toContain("Alice Rossi");
    answerId = await bobAnswer.getAttribute("data-answer-id");
    expect(answerId).toBeTruthy();

    const vote = bobAnswer.getByRole("button", { name: /Sostieni la risposta/ });
    await vote.click();
    // Her own answer shows Alice its votes, with nothing to cast.
    const aliceAnswer = questionCard(alice.page).locator(".answer", { hasText: text });
    expect(await aliceAnswer.getByRole("button", { name: /Sostieni la risposta/ }).count()).toBe(0);
    const aliceVotes = aliceAnswer.locator(".vote-count");
    await expect.poll(() => aliceVotes.textContent()).toContain("1 voto");
    expect(await vote.getAttribute("aria-pressed")).toBe("true");

    await vote.click(); // toggling again withdraws the vote, for everyone
    await expect.poll(() => aliceVotes.textContent()).toContain("0 voti");
    expect(await vote.getAttribute("aria-pressed")).toBe("false");

    await screenshot(alice.page, "room-questions-desktop");
    expect(await seriousViolations(alice.page)).toEqual([]);
  });

  test("recommendation text typed by one appears for the other with the author's caret", async () => {
    for (const { page } of [alice, bob])
      await page.getByRole("tab", { name: /Raccomandazioni/ }).click();
    const heading = editorOf(alice.page).locator("h2").first();
    await expect.poll(() => heading.textContent()).toBe("Nuovi temi su cui lavorare");

    // Type in the paragraph under the first heading.
    await editorOf(alice.page).locator("p").first().click();
    await alice.page.keyboard.type("Rafforzare i partenariati territoriali. ");
    await expect
      .poll(() => editorOf(bob.page).textContent())
      .toContain("Rafforzare i partenariati territoriali.");
    const caret = bob.page.locator(".collaboration-carets__label", { hasText: "Alice Rossi" });
    await caret.waitFor();

    // Bold through the toolbar, then a citation of the live answer.
    await alice.page.keyboard.press("Control+b");
    await alice.page.keyboard.type("Priorità");
    await expect
      .poll(() => editorOf(bob.page).locator("strong").allTextContents())
      .toContain("Priorità");
    expect(
      await alice.page.getByRole("button", { name: "Grassetto" }).getAttribute("aria-pressed"),
    ).toBe("true");
    await alice.page.keyboard.press("Control+b");

    await alice.page.getByRole("button", { name: "Cita una risposta" }).click();
    const dialog = alice.page.getByRole("dialog");
    await dialog.getByRole("button", { name: /^Cita: Coinvolgere le associazioni/ }).click();
    await expect.poll(() => dialog.count()).toBe(0);
    const citation = editorOf(bob.page).locator("cite.answer-ref");
    await citation.waitFor();
    expect(await citation.getAttribute("data-answer-id")).toBe(answerId);
    expect(await citation.textContent()).toContain("Coinvolgere le associazioni");

    await screenshot(bob.page, "room-editor-desktop");
    expect(await seriousViolations(bob.page)).toEqual([]);
  });

  test("offline in one: typing goes on, a reload keeps the text, and both converge when back", async () => {
    // The service worker must hold the app shell before the network goes.
    await bob.page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await bob.context.setOffline(true);
    await expect
      .poll(() => bob.page.locator(".connection").getAttribute("data-state"))
      .toBe("offline");

    await editorOf(bob.page).locator("p").last().click();
    await bob.page.keyboard.press("End");
    await bob.page.keyboard.type("Scritto senza rete.");
    await expect
      .poll(() => bob.page.locator(".connection").textContent())
      .toContain("non ancora inviate");
    // Alice keeps writing meanwhile: the two offline-diverged texts must merge.
    await alice.page.keyboard.type("Scritto da Alice nel frattempo. ");

    await bob.page.reload();
    await bob.page.getByRole("tab", { name: /Raccomandazioni/ }).click();
    await expect.poll(() => editorOf(bob.page).textContent()).toContain("Scritto senza rete.");
    expect(await bob.page.locator(".connection").getAttribute("data-state")).toBe("offline");
    expect(await editorOf(alice.page).textContent()).not.toContain("Scritto senza rete.");

    await bob.context.setOffline(false);
    await expect
      .poll(() => bob.page.locator(".connection").getAttribute("data-state"))
      .toBe("online");
    await expect.poll(() => editorOf(alice.page).textContent()).toContain("Scritto senza rete.");
    await expect
      .poll(() => editorOf(bob.page).textContent())
      .toContain("Scritto da Alice nel frattempo.");
    await expect
      .poll(async () => [await contentOf(bob.page), await contentOf(alice.page)])
      .toSatisfy(([mine, theirs]) => mine === theirs);
  });

  test("works on a 360 px phone screen", async () => {
    await bob.page.setViewportSize(PHONE);
    await bob.page.getByRole("tab", { name: /Domande chiave/ }).click();
    const overflow = await bob.page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(bob.page, "room-questions-phone");
    expect(await seriousViolations(bob.page)).toEqual([]);
    await bob.page.getByRole("tab", { name: /Raccomandazioni/ }).click();
    // The heading buttons say what they make, in words, and stay on the screen (issue 22).
    for (const name of ["Titolo", "Sottotitolo"]) {
      const button = bob.page.getByRole("toolbar").getByRole("button", { name, exact: true });
      expect((await button.textContent())?.trim()).toBe(name);
      const box = (await button.boundingBox())!;
      expect(box.x + box.width).toBeLessThanOrEqual(PHONE.width);
    }
    await screenshot(bob.page, "room-editor-phone");
    expect(await seriousViolations(bob.page)).toEqual([]);
    await bob.page.setViewportSize(DESKTOP);
  });
});

/** The editor's HTML without view-only decorations (remote carets, ProseMirror's helpers). */
function contentOf(page: Page): Promise<string> {
  return editorOf(page).evaluate((element) => {
    const copy = element.cloneNode(true) as HTMLElement;
    for (const extra of copy.querySelectorAll(
      ".collaboration-carets__caret, .collaboration-carets__selection, .ProseMirror-separator, .ProseMirror-trailingBreak",
    )) {
      extra.replaceWith(
        ...(extra.classList.contains("collaboration-carets__selection") ? extra.childNodes : []),
      );
    }
    copy.normalize();
    return copy.innerHTML;
  });
}
