import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  ADMIN_TOKEN,
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
 * A facilitator runs a seminar from the console in Debian's Chromium, with the projector
 * view open from an observer link and a participant in the room: spotlight, answers arriving
 * on the projector, hiding, harvest into the text, the timer, closing, revoking a link.
 */
const SEMINAR = "s2-economia-circolare";
const PROJECTOR = { width: 1920, height: 1080 };
let server: RunningServer;
let browser: Browser;
let facilitator: { context: BrowserContext; page: Page };
let participant: { context: BrowserContext; page: Page };
let projector: Page;

/** The answer whose own text is `text` (a merge menu elsewhere may mention it too). */
const card = (page: Page, text: string) =>
  page.locator(".answer").filter({ has: page.locator(".answer-text", { hasText: text }) });
const firstQuestion = (page: Page) => page.locator(".console-question").first();

beforeAll(async () => {
  server = await startServer();
  // The starter questions are drafts: the facilitator opens them, as on the seminar day.
  await openQuestions(server, SEMINAR);
  browser = await launchChromium();

  const fContext = await newContext(browser);
  const fPage = await fContext.newPage();
  fPage.on("dialog", (dialog) => void dialog.accept());
  await joinByInvite(fPage, await server.invite("facilitator", SEMINAR), "Francesca Facilitatrice");
  // A facilitator lands where they work: the console.
  await fPage.waitForURL(`**/seminari/${SEMINAR}/console`);
  await fPage.locator('.connection[data-state="online"]').waitFor();
  facilitator = { context: fContext, page: fPage };

  const pContext = await newContext(browser);
  const pPage = await pContext.newPage();
  await joinByInvite(pPage, await server.invite("participant", SEMINAR), "Paolo Partecipante", {
    actor: "university",
  });
  await pPage.waitForURL(`**/seminari/${SEMINAR}`);
  await pPage.locator('.connection[data-state="online"]').waitFor();
  await pPage.getByRole("tab", { name: /Domande chiave/ }).click();
  participant = { context: pContext, page: pPage };
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("facilitator console and projector", () => {
  test("the projector opens read-only from the console and shows the spotlighted question", async () => {
    const opened = facilitator.context.waitForEvent("page");
    await facilitator.page.getByRole("button", { name: "Apri la vista proiettore" }).click();
    projector = await opened;
    await projector.setViewportSize(PROJECTOR);
    await projector.waitForURL(`**/seminari/${SEMINAR}/screen?token=*`);
    await projector.getByText("Tra poco la prossima domanda.").waitFor();
    // The facilitator's own identity on this laptop is untouched by the projector's link.
    await facilitator.page.reload();
    await facilitator.page.getByRole("heading", { name: "Sessione" }).waitFor();

    await facilitator.page.getByRole("radio", { name: "In corso" }).check();
    const question = (await firstQuestion(facilitator.page)
      .locator(".question-text")
      .textContent())!.replace(/^1\. /, "");
    await firstQuestion(facilitator.page).getByRole("button", { name: "In proiezione" }).click();
    await expect.poll(() => projector.locator(".projector-question").textContent()).toBe(question);
    expect(await projector.locator("button, input, textarea, select").count()).toBe(0);
    expect(
      await participant.page.locator(".question-card.spotlight .question-text").textContent(),
    ).toBe(question);
  });

  test("answers arrive on the projector live; a hidden one vanishes for participants and the projector", async () => {
    const text = "Filiere corte del riuso con le cooperative sociali";
    await participant.page.locator(".question-card").first().getByRole("textbox").fill(text);
    await participant.page
      .locator(".question-card")
      .first()
      .getByRole("button", { name: "Invia risposta" })
      .click();
    await projector.locator(".projector-card", { hasText: text }).waitFor();

    const other = "Appalti verdi nei comuni toscani";
    await participant.page.locator(".question-card").first().getByRole("textbox").fill(other);
    await participant.page
      .locator(".question-card")
      .first()
      .getByRole("button", { name: "Invia risposta" })
      .click();
    await projector.locator(".projector-card", { hasText: other }).waitFor();
    await screenshot(projector, "projector-cards");
    expect(await seriousViolations(projector)).toEqual([]);

    await firstQuestion(facilitator.page).locator("summary").click();
    await card(facilitator.page, other).getByRole("button", { name: "Nascondi" }).click();
    // Gone from the list; its author is told so on their card, politely.
    await card(participant.page, other)
      .getByText(/ha nascosto questa tua risposta/)
      .waitFor();
    expect(
      await participant.page
        .locator(".answer-list:not(.moderated-list) .answer", { hasText: other })
        .count(),
    ).toBe(0);
    await expect
      .poll(() => projector.locator(".projector-card", { hasText: other }).count())
      .toBe(0);
    expect(await card(participant.page, text).count()).toBe(1);
  });

  test("word-cloud mode and the join QR code reach the projector", async () => {
    await facilitator.page.getByRole("radio", { name: "Nuvola di parole" }).check();
    await projector.locator(".word-cloud li", { hasText: "filiere" }).waitFor();
    const words = await projector.locator(".word-cloud li").allTextContents();
    expect(words).not.toContain("del"); // Italian stop words are left out
    expect(words).not.toContain("con");
    await facilitator.page.getByRole("button", { name: "Mostra il QR per entrare" }).click();
    await projector.getByRole("img", { name: "Codice QR per entrare nel seminario" }).waitFor();
    await screenshot(projector, "projector-cloud");
    expect(await seriousViolations(projector)).toEqual([]);
    await facilitator.page.getByRole("radio", { name: "Schede" }).check();
  });

  test("the timer is visible to everyone, and pauses", async () => {
    await facilitator.page.getByLabel("Minuti").fill("3");
    await facilitator.page.getByRole("button", { name: "Avvia" }).click();
    await participant.page.locator(".countdown .countdown-time").waitFor();
    await projector.locator(".countdown .countdown-time").waitFor();
    expect(await participant.page.locator(".countdown-time").textContent()).toMatch(/^[23]:\d\d$/);
    await facilitator.page.getByRole("button", { name: "+1 minuto" }).click();
    await expect
      .poll(() => participant.page.locator(".countdown-time").textContent())
      .toMatch(/^[34]:\d\d$/);
    await facilitator.page.getByRole("button", { name: "Pausa" }).click();
    await participant.page.locator(".countdown .badge", { hasText: "In pausa" }).waitFor();
  });

  test("a harvested cluster is promoted into the recommendations with its citations", async () => {
    await facilitator.page
      .getByLabel("Etichetta del gruppo")
      .fill("Economia circolare di prossimità");
    await facilitator.page.getByRole("button", { name: "Crea gruppo" }).click();
    const text = "Filiere corte del riuso con le cooperative sociali";
    // Answers are grouped where the groups are: in the harvest panel.
    await facilitator.page
      .getByRole("region", { name: "Raccolta" })
      .locator(".ungrouped .answer", { hasText: text })
      .getByLabel(/Gruppo della risposta/)
      .selectOption({ label: "Economia circolare di prossimità" });
    const cluster = facilitator.page.locator(".cluster", {
      hasText: "Economia circolare di prossimità",
    });
    await cluster.getByText(text).waitFor();
    await cluster.getByRole("button", { name: "Porta nelle raccomandazioni" }).click();
    await cluster.getByText(/Inserito nel testo/).waitFor();

    await participant.page.getByRole("tab", { name: /Raccomandazioni/ }).click();
    const editor = participant.page.locator(".editor-text");
    await editor.locator("strong", { hasText: "Economia circolare di prossimità" }).waitFor();
    expect(await editor.locator("cite.answer-ref").textContent()).toContain("Filiere corte");
    await participant.page.getByRole("tab", { name: /Domande chiave/ }).click();
  });

  test("the report downloads as Markdown, DOCX, HTML and PDF", async () => {
    const md = facilitator.page.waitForEvent("download");
    await facilitator.page.getByRole("button", { name: "Scarica in Markdown" }).click();
    const mdFile = await (await md).path();
    const { readFileSync } = await import("node:fs");
    const markdown = readFileSync(mdFile, "utf8");
    expect(markdown).toContain("Filiere corte del riuso con le cooperative sociali");
    expect(markdown).not.toContain("Appalti verdi"); // hidden answers stay out
    const docx = facilitator.page.waitForEvent("download");
    await facilitator.page.getByRole("button", { name: "Scarica in Word (DOCX)" }).click();
    const docxBytes = readFileSync(await (await docx).path());
    expect(docxBytes.subarray(0, 2).toString()).toBe("PK");
    const html = facilitator.page.waitForEvent("download");
    await facilitator.page.getByRole("button", { name: "Scarica la pagina web (HTML)" }).click();
    const page = readFileSync(await (await html).path(), "utf8");
    expect(page).toMatch(/^<!doctype html>/i);
    expect(page).toContain("Filiere corte del riuso con le cooperative sociali");
    const pdf = facilitator.page.waitForEvent("download");
    await facilitator.page.getByRole("button", { name: "Scarica in PDF" }).click();
    const pdfBytes = readFileSync(await (await pdf).path());
    expect(pdfBytes.subarray(0, 5).toString()).toBe("%PDF-");
  });

  test("participation counts who is present by kind of actor", async () => {
    const row = facilitator.page
      .getByRole("region", { name: "Partecipazione" })
      .getByRole("row", { name: /Università o ricerca/ });
    await expect.poll(() => row.locator("td").allTextContents()).toEqual(["1", "2"]);
  });

  test("console screenshot and accessibility", async () => {
    await screenshot(facilitator.page, "console-desktop");
    expect(await seriousViolations(facilitator.page)).toEqual([]);
  });

  test("closing the seminar makes participants read-only", async () => {
    await facilitator.page.getByRole("radio", { name: "Concluso" }).check();
    await participant.page.getByText(/Il seminario è concluso/).waitFor();
    expect(await participant.page.locator(".question-card textarea").count()).toBe(0);
    await participant.page.getByRole("tab", { name: /Raccomandazioni/ }).click();
    await expect
      .poll(() => participant.page.locator(".editor-text").getAttribute("contenteditable"))
      .toBe("false");
  });

  test("a revoked link is refused, also for whoever is connected with it", async () => {
    const panel = facilitator.page.getByRole("region", { name: "Inviti", exact: true });
    const rows = panel.locator("tbody tr");
    const before = await rows.count();
    // A facilitator is offered only the roles the schema's table lets them invite.
    expect(await panel.getByLabel("Ruolo").locator("option").allTextContents()).toEqual([
      "partecipante",
      "osservatore",
    ]);
    await panel.getByLabel("Ruolo").selectOption("participant");
    await panel.getByRole("button", { name: "Crea un nuovo link" }).click();
    await expect.poll(() => rows.count()).toBeGreaterThan(before);
    const row = rows.first(); // newest first
    expect(await row.locator("td").first().textContent()).toBe("partecipante");
    // The list has no link: the one just made is shown once, above it, with its QR code.
    expect(await row.locator("input").count()).toBe(0);
    const link = await panel.getByLabel("Link appena creato come partecipante").inputValue();
    expect(link).toMatch(/\/i\/[\w-]{22}$/);
    await panel
      .getByRole("img", { name: "Codice QR del link appena creato come partecipante" })
      .waitFor();

    const guest = await newContext(browser);
    const guestPage = await guest.newPage();
    await joinByInvite(guestPage, link, "Ospite");
    await guestPage.locator('.connection[data-state="online"]').waitFor();
    // Opening a closed seminar writes nothing: no refused change, a read-only text.
    await guestPage.getByRole("tab", { name: /Raccomandazioni/ }).click();
    await expect
      .poll(() => guestPage.locator(".editor-text").getAttribute("contenteditable"))
      .toBe("false");
    expect(await guestPage.getByText(/non è stata accettata/).count()).toBe(0);

    await row.getByRole("button", { name: "Revoca" }).click();
    await guestPage.getByText(/Il tuo invito non è più valido/).waitFor();
    // Listed again after the revoke: who made it, and how many joined through it.
    await expect.poll(() => row.locator("td").nth(3).textContent()).toBe("1");
    expect(await row.locator("td").nth(1).textContent()).toBe("Francesca Facilitatrice");
    expect(await row.locator("td").nth(2).textContent()).toBe("Revocato");
    await guestPage.goto(link);
    await guestPage.getByRole("heading", { name: "Link non valido o scaduto" }).waitFor();
    await guest.close();
  });
});

describe("programme administration", () => {
  test("an admin creates a programme: field errors first, then the new programme's overview", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await joinByInvite(page, `${server.url}/join?token=${ADMIN_TOKEN}`, "Amministrazione");
    await page.waitForURL(`${server.url}/`);
    await page.getByRole("link", { name: "Nuovo programma" }).click();
    await page.getByRole("heading", { name: "Nuovo programma" }).waitFor();

    await page.getByLabel("Titolo", { exact: true }).fill("Percorso Africa occidentale 2027");
    await page.getByLabel("Inizio (mese)").fill("2027-01");
    await page.getByLabel("Fine (mese)").fill("2027-06");
    await page.getByLabel("Luogo").fill("Firenze e online");
    await page.getByLabel("Modalità").fill("Mista");
    await page.getByLabel("Seminario 1: tema").fill("Migrazioni e sviluppo locale");
    await page.getByLabel("Seminario 1: data").fill("2027-09-10"); // outside the period
    await page.getByLabel("Seminario 1: facilitatori").fill("Anna Verdi, Luca Neri");
    await page
      .getByLabel("Seminario 1: domande chiave iniziali")
      .fill("Cosa funziona oggi?\nCosa manca?");
    await page.getByLabel("Titolo della conferenza").fill("Conferenza di restituzione");
    await page.getByLabel("Data della conferenza").fill("2027-06-20");
    await page.getByRole("button", { name: "Crea il programma" }).click();
    await page
      .getByRole("alert")
      .getByText(/Alcuni campi non sono validi/)
      .waitFor();
    await page.locator(".field-error").first().waitFor();
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel("Seminario 1: data").fill("2027-03-10");
    await page.getByRole("button", { name: "Crea il programma" }).click();
    await page.getByRole("heading", { name: "Programma creato" }).waitFor();
    await page.getByRole("link", { name: "Apri il programma" }).click();
    await expect
      .poll(() => page.getByRole("heading", { level: 1 }).textContent())
      .toBe("Percorso Africa occidentale 2027");
    expect(await page.locator(".seminar-card").count()).toBe(1);
    expect(await page.locator(".seminar-card h3").textContent()).toBe(
      "Migrazioni e sviluppo locale",
    );
    await context.close();
  });
});
