import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { ANSWER_REF_NODE, addAnswer, citationLabel } from "@percorso/schema";
import {
  ADMIN_TOKEN,
  PHONE,
  PROGRAMME,
  joinByInvite,
  launchChromium,
  newContext,
  openDocument,
  screenshot,
  seriousViolations,
  openQuestions,
  startServer,
  type DocumentClient,
  untilDocument,
  type RunningServer,
} from "./support.ts";

/**
 * The drafting desk (issue 9) in Debian's Chromium against the real server: a drafter joins by
 * invite and lands on the draft, rolls two seminars into their chapters, sees seminar 2 flagged
 * live when a participant edits it in the room, reads the redline, merges it without losing the
 * draft's own edit, saves, compares and restores versions, follows a citation back to its answer
 * in the room, and downloads the DOCX; writes a footnote another drafter sees and edits, which
 * the Markdown export makes a real footnote; a participant reads the draft and opens a citation
 * by keyboard.
 */
const S2 = "s2-economia-circolare";
const S3 = "s3-crisi-umanitarie";
const DESK = `/programmi/${PROGRAMME}/bozza`;
const ANSWER_TEXT = "Filiere corte del riuso tra comuni e imprese";
const ANSWER_AUTHOR = "Marta Verdi";
const S2_FIRST = "Sostenere le filiere corte del riuso ";
const S2_SECOND = "Formare le imprese all'economia circolare";
const S3_TEXT = "Corridoi umanitari con i comuni di accoglienza";
const DRAFT_EDIT = "In Toscana: ";
const SOURCE_EDIT = " e i comuni";
const VERSION = "Bozza per la conferenza";
const NOTED = "I comuni accolgono 120 persone.";
const NOTE = "Dati del Ministero dell'Interno";
const NOTE_EDITED = "Dati del Ministero dell'Interno, rapporto 2025";

let server: RunningServer;
let browser: Browser;
let drafter: { context: BrowserContext; page: Page };
let participant: { context: BrowserContext; page: Page } | null = null;
let answerId = "";
const clients: DocumentClient[] = [];

/** Replaces a seminar's recommendations with paragraphs; `cite` adds a citation to the first. */
function writeRecommendations(doc: Y.Doc, paragraphs: string[], cite?: Y.XmlElement): void {
  const fragment = doc.getXmlFragment("recommendations");
  doc.transact(() => {
    fragment.delete(0, fragment.length);
    const texts = paragraphs.map(() => new Y.XmlText());
    const elements = texts.map((text) => {
      const paragraph = new Y.XmlElement("paragraph");
      paragraph.insert(0, [text]);
      return paragraph;
    });
    fragment.insert(0, elements);
    // Written once the texts are in the document: inserts into a text not yet in it misplace.
    paragraphs.forEach((content, i) => texts[i]!.insert(0, content));
    if (cite) elements[0]!.insert(1, [cite]);
  });
}

/** Waits until the server holds `text` in a seminar's recommendations (a second client sees it). */
async function storedOnServer(seminarId: string, text: string): Promise<void> {
  const witness = await openDocument(server, `seminar:${seminarId}`);
  clients.push(witness);
  await untilDocument(
    witness.doc,
    () => witness.doc.getXmlFragment("recommendations").toString().includes(text),
    `"${text}" in seminar ${seminarId} on the server`,
  );
}

const panel = (page: Page) => page.getByRole("region", { name: "Seminari e capitoli" });
const item = (page: Page, chapter: string) =>
  page.locator(`.rollup-item[data-chapter="${chapter}"]`);
const draftText = (page: Page) => page.locator(".draft-text .editor-text");
/** Whether the keyboard is in the draft's text (a dialog hands it back a frame later). */
const inText = () => document.activeElement?.classList.contains("ProseMirror") ?? false;

beforeAll(async () => {
  server = await startServer();
  // The starter questions are drafts: the facilitator opens them, as on the seminar day.
  await openQuestions(server, S2);
  browser = await launchChromium();

  // Seminars 2 and 3 have text before the drafting starts, written as an automation would.
  const s2 = await openDocument(server, `seminar:${S2}`);
  const s3 = await openDocument(server, `seminar:${S3}`);
  clients.push(s2, s3);
  answerId = addAnswer(s2.doc, {
    questionId: `${S2}-q1`,
    text: ANSWER_TEXT,
    author: ANSWER_AUTHOR,
    authorId: "marta-verdi",
    actorKind: "ngo",
  });
  const cite = new Y.XmlElement(ANSWER_REF_NODE);
  cite.setAttribute("answerId", answerId);
  cite.setAttribute("label", citationLabel(ANSWER_TEXT, ANSWER_AUTHOR));
  writeRecommendations(s2.doc, [S2_FIRST, S2_SECOND], cite);
  writeRecommendations(s3.doc, [S3_TEXT]);
  await storedOnServer(S2, S2_SECOND);
  await storedOnServer(S2, ANSWER_REF_NODE.toLowerCase());
  await storedOnServer(S3, S3_TEXT);
});

afterAll(async () => {
  for (const client of clients) client.close();
  await browser?.close();
  await server?.stop();
});

describe("the drafting desk", () => {
  test("a drafter joins by invite and lands on the draft, with the seven seminars to roll up", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await joinByInvite(page, await server.invite("drafter"), "Dora Redattrice");
    drafter = { context, page };
    await page.waitForURL(`**${DESK}`);
    await page.locator('.connection[data-state="online"]').waitFor();
    await page
      .getByRole("heading", { level: 1, name: "Bozza del documento di indirizzo" })
      .waitFor();
    await expect.poll(() => panel(page).locator(".rollup-item").count()).toBe(7);
    expect(await item(page, "economia-circolare").textContent()).toContain("non ancora riportato");
    // The table of contents lists the chapters of the draft's skeleton.
    const contents = page.getByRole("navigation", { name: "Indice" });
    expect(await contents.getByRole("button").allTextContents()).toContain("Economia circolare");
    await draftText(page).waitFor();
    expect(await draftText(page).getAttribute("contenteditable")).toBe("true");
    // The programme's overview offers the desk to a drafter, and its link leads there.
    const home = await context.newPage();
    await home.goto(`${server.url}/`);
    await home.getByRole("heading", { name: "Bozza del documento di indirizzo" }).waitFor();
    await home.getByRole("link", { name: "Apri la bozza" }).click();
    await home.waitForURL(`**${DESK}`);
    await home.close();
  });

  test("rolls two seminars into their chapters, text and citation kept", async () => {
    const { page } = drafter;
    await panel(page)
      .getByRole("button", { name: /^Riporta il seminario 2:/ })
      .click();
    await expect
      .poll(() => panel(page).getByRole("status").first().textContent())
      .toContain("Seminario 2 riportato nel capitolo «Economia circolare»");
    await panel(page)
      .getByRole("button", { name: /^Riporta il seminario 3:/ })
      .click();
    await expect
      .poll(() => item(page, "crisi-umanitarie").textContent())
      .toMatch(/riportato (?:il |l').* da Dora Redattrice/);
    expect(await item(page, "economia-circolare").getAttribute("data-state")).toBe("rolled-up");

    await expect.poll(() => draftText(page).textContent()).toContain(S3_TEXT);
    expect(await draftText(page).textContent()).toContain(S2_SECOND);
    const citation = draftText(page).locator(".answer-ref");
    expect(await citation.getAttribute("data-answer-id")).toBe(answerId);
    expect(await citation.getAttribute("data-seminar-id")).toBe(S2);

    // The drafting team edits the chapter: the merge later must keep this.
    await draftText(page)
      .locator("p", { hasText: S2_FIRST.trim() })
      .click({ position: { x: 4, y: 6 } });
    await page.keyboard.press("Home");
    await page.keyboard.type(DRAFT_EDIT);
    await expect.poll(() => draftText(page).textContent()).toContain(`${DRAFT_EDIT}${S2_FIRST}`);

    // A chapter with text asks before it is replaced, and says how to go back.
    await panel(page)
      .getByRole("button", { name: /^Riporta di nuovo il seminario 3:/ })
      .click();
    const confirm = page.getByRole("dialog", { name: /Sostituire il testo del capitolo/ });
    expect(await confirm.textContent()).toContain("Ctrl+Z");
    await confirm.getByRole("button", { name: "Annulla" }).click();
    await confirm.waitFor({ state: "detached" });
  });

  test("sees seminar 2 flagged live when a participant edits it in the room", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await joinByInvite(page, await server.invite("participant", S2), "Paolo Partecipante");
    await page.waitForURL(`**/seminari/${S2}`);
    await page.locator('.connection[data-state="online"]').waitFor();
    await page.getByRole("tab", { name: /Raccomandazioni/ }).click();
    const paragraph = page.locator(".editor-text p", { hasText: S2_SECOND });
    await paragraph.click({ position: { x: 4, y: 6 } });
    await page.keyboard.press("End");
    await page.keyboard.type(SOURCE_EDIT);
    await expect.poll(() => paragraph.textContent()).toBe(`${S2_SECOND}${SOURCE_EDIT}`);
    participant = { context, page };

    // The drafter's panel and table of contents say so without a reload.
    const changed = item(drafter.page, "economia-circolare");
    await expect.poll(() => changed.getAttribute("data-state"), { timeout: 20_000 }).toBe("stale");
    expect(await changed.textContent()).toMatch(/modificato nel seminario dopo (?:il |l')/);
    expect(await item(drafter.page, "crisi-umanitarie").getAttribute("data-state")).toBe(
      "rolled-up",
    );
    const contents = drafter.page.getByRole("navigation", { name: "Indice" });
    expect(await contents.textContent()).toContain("modificato nel seminario");
  });

  test("shows the redline of the changed seminar, in colour and in words", async () => {
    const { page } = drafter;
    await panel(page)
      .getByRole("button", { name: /^Vedi le modifiche del seminario 2:/ })
      .click();
    const dialog = page.getByRole("dialog", { name: /Modifiche nel seminario 2/ });
    await dialog.getByTestId("redline").waitFor();
    expect(await dialog.locator("ins").allTextContents()).toContainEqual(
      expect.stringContaining("comuni"),
    );
    expect(await dialog.textContent()).toContain("barrato in rosso");
    expect(await dialog.textContent()).toContain("sottolineato in verde");
    await screenshot(page, "draft-redline", false);
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Chiudi" }).click();
    await dialog.waitFor({ state: "detached" });
  });

  test("merges the seminar's change into the chapter, keeping the draft's edit", async () => {
    const { page } = drafter;
    await panel(page)
      .getByRole("button", { name: /^Unisci le modifiche del seminario 2:/ })
      .click();
    const dialog = page.getByRole("dialog", { name: /Unisci il seminario 2/ });
    await expect
      .poll(() => dialog.locator(".merge-summary").textContent())
      .toContain("Nessun conflitto");
    expect(await dialog.locator(".merge-ok").first().textContent()).toContain(SOURCE_EDIT.trim());
    await dialog.getByRole("button", { name: "Applica l'unione" }).click();
    await dialog.waitFor({ state: "detached" });
    await expect
      .poll(() => panel(page).getByRole("status").first().textContent())
      .toContain("unite nel capitolo «Economia circolare»");
    await expect.poll(() => draftText(page).textContent()).toContain(`${S2_SECOND}${SOURCE_EDIT}`);
    expect(await draftText(page).textContent()).toContain(`${DRAFT_EDIT}${S2_FIRST}`);
    await expect
      .poll(() => item(page, "economia-circolare").getAttribute("data-state"))
      .toBe("rolled-up");
  });

  test("shows a real conflict side by side and takes the hand resolution", async () => {
    const { page } = drafter;
    if (!participant) throw new Error("the participant of seminar 2 did not join");
    const merged = `${S2_SECOND}${SOURCE_EDIT}`;
    // Both sides change the same paragraph: the draft here, the seminar in the room.
    await draftText(page)
      .locator("p", { hasText: merged })
      .click({ position: { x: 4, y: 6 } });
    await page.keyboard.press("End");
    await page.keyboard.type(" (redazione)");
    const room = participant.page;
    const paragraph = room.locator(".editor-text p", { hasText: merged });
    await paragraph.click({ position: { x: 4, y: 6 } });
    await room.keyboard.press("End");
    await room.keyboard.type(" (plenaria)");
    await expect
      .poll(() => item(page, "economia-circolare").getAttribute("data-state"), { timeout: 20_000 })
      .toBe("stale");

    await panel(page)
      .getByRole("button", { name: /^Unisci le modifiche del seminario 2:/ })
      .click();
    const dialog = page.getByRole("dialog", { name: /Unisci il seminario 2/ });
    await expect
      .poll(() => dialog.locator(".merge-summary").textContent())
      .toBe("1 conflitto da risolvere.");
    const conflict = dialog.getByRole("group", { name: "Conflitto 1 di 1" });
    expect(await conflict.locator(".side-ours").textContent()).toContain("(redazione)");
    expect(await conflict.locator(".side-theirs").textContent()).toContain("(plenaria)");
    // Applying without a choice says what is missing.
    await dialog.getByRole("button", { name: "Applica l'unione" }).click();
    await conflict.getByRole("alert").waitFor();
    await screenshot(page, "draft-merge", false);
    expect(await seriousViolations(page)).toEqual([]);
    await conflict.getByRole("radio", { name: "Seminario" }).check();
    await dialog.getByRole("button", { name: "Applica l'unione" }).click();
    await dialog.waitFor({ state: "detached" });
    await expect.poll(() => draftText(page).textContent()).toContain(`${merged} (plenaria)`);
    expect(await draftText(page).textContent()).not.toContain("(redazione)");
    expect(await draftText(page).textContent()).toContain(`${DRAFT_EDIT}${S2_FIRST}`);
  });

  test("shows who edited what: the draft's history runs and the authors' colours", async () => {
    const { page } = drafter;
    await page.getByRole("tab", { name: "Cronologia" }).click();
    const history = page.getByRole("region", { name: "Cronologia" });
    await expect
      .poll(async () => (await history.locator(".history-line").allTextContents()).join(" | "))
      .toContain("Dora Redattrice");
    await page.getByRole("button", { name: "Autori" }).click();
    const legend = page.locator(".authors-legend");
    await expect.poll(() => legend.textContent()).toContain("Dora Redattrice");
    // The drafter's own words in the chapter are coloured as hers.
    await expect
      .poll(() => draftText(page).locator(".authored").allTextContents())
      .toContainEqual(expect.stringContaining(DRAFT_EDIT.trim()));
    await page.getByRole("button", { name: "Autori" }).click();
  });

  test("saves a version, shows it, compares it with now and restores it", async () => {
    const { page } = drafter;
    await page.getByRole("tab", { name: "Versioni" }).click();
    const versions = page.getByRole("region", { name: "Versioni" });
    await versions.getByLabel("Nome della versione").fill(VERSION);
    await versions.getByRole("button", { name: "Salva versione" }).click();
    const saved = versions.locator(".version-item", { hasText: VERSION });
    await saved.waitFor();
    expect(await saved.textContent()).toMatch(/salvata (?:il |l').* da Dora Redattrice/);
    // The merge saved the draft before it, so it can be undone.
    expect(await versions.locator(".version-item").allTextContents()).toContainEqual(
      expect.stringContaining("Prima dell'unione del seminario 2"),
    );

    await saved.getByRole("button", { name: `Vedi la versione «${VERSION}»` }).click();
    const view = page.getByRole("dialog", { name: `Versione «${VERSION}»` });
    await expect.poll(() => view.locator(".version-text").textContent()).toContain(DRAFT_EDIT);
    expect(await view.locator(".version-text h2").allTextContents()).toContain("Crisi umanitarie");
    await view.getByRole("button", { name: "Chiudi" }).click();

    // A sentence written after the version shows as added, and goes with the restore.
    const added = "Una frase scritta dopo la versione.";
    await draftText(page)
      .locator("p", { hasText: S3_TEXT })
      .click({ position: { x: 4, y: 6 } });
    await page.keyboard.press("End");
    await page.keyboard.type(` ${added}`);
    await expect.poll(() => draftText(page).textContent()).toContain(added);
    await saved
      .getByRole("button", { name: `Confronta la versione «${VERSION}» con il testo attuale` })
      .click();
    const compare = page.getByRole("dialog", { name: /Da «Bozza per la conferenza» a/ });
    await expect
      .poll(async () => (await compare.locator("ins").allTextContents()).join(""), {
        timeout: 15_000,
      })
      .toContain("scritta dopo la versione");
    // Only the change and a paragraph around it: the rest of the draft is folded (issue 22).
    expect(await compare.locator(".redline-skip").last().textContent()).toMatch(
      /… \d+ paragraf[oi] invariat[oi] …/,
    );
    await compare.getByRole("button", { name: "Chiudi" }).click();

    await saved.getByRole("button", { name: `Ripristina la versione «${VERSION}»` }).click();
    const confirm = page.getByRole("dialog", { name: /Ripristinare la versione/ });
    await confirm.getByRole("button", { name: "Ripristina" }).click();
    await confirm.waitFor({ state: "detached" });
    await expect.poll(() => draftText(page).textContent()).not.toContain(added);
    expect(await draftText(page).textContent()).toContain(`${DRAFT_EDIT}${S2_FIRST}`);
  });

  test("opens a citation's answer and follows it to the room, where it is highlighted", async () => {
    const { page } = drafter;
    const sheet = page.getByRole("dialog", { name: "Risposta citata" });
    // By keyboard: with the caret just before the citation (put there directly: Playwright's
    // key presses outrun the editor's reading of the caret), the arrow selects the citation
    // and Enter opens it.
    await draftText(page).click({ position: { x: 4, y: 6 } });
    await page.evaluate(() => {
      interface Node {
        type: { name: string };
      }
      interface Probe {
        state: { doc: { descendants(f: (node: Node, pos: number) => void): void } };
        commands: { setTextSelection(pos: number): void; focus(): void };
      }
      const editor = (
        document.querySelector(".draft-text .ProseMirror") as unknown as {
          editor: Probe;
        }
      ).editor;
      let at = -1;
      editor.state.doc.descendants((node, pos) => {
        if (node.type.name === "answerRef" && at < 0) at = pos;
      });
      editor.commands.setTextSelection(at);
      editor.commands.focus();
    });
    await page.keyboard.press("ArrowRight");
    await draftText(page).locator(".answer-ref.ProseMirror-selectednode").waitFor();
    await page.keyboard.press("Enter");
    await expect.poll(() => sheet.locator(".citation-answer").textContent()).toBe(ANSWER_TEXT);
    await page.keyboard.press("Escape");
    await sheet.waitFor({ state: "detached" });
    expect(await draftText(page).textContent()).toContain(`${S2_FIRST}«`); // no new line typed
    // By pointer.
    await draftText(page).locator(".answer-ref").click();
    await expect.poll(() => sheet.locator(".citation-answer").textContent()).toBe(ANSWER_TEXT);
    const text = (await sheet.textContent()) ?? "";
    expect(text).toContain("Seminario 2");
    expect(text).toContain(ANSWER_AUTHOR);
    expect(text).toContain("ONG / organizzazione della società civile");
    expect(text).toContain("0 voti");
    await screenshot(page, "draft-citation", false);
    expect(await seriousViolations(page)).toEqual([]);
    await sheet.getByRole("link", { name: "Vai alla risposta nel seminario" }).click();

    await page.waitForURL(`**/seminari/${S2}?risposta=${answerId}`);
    const cited = page.locator(`.answer.cited[data-answer-id="${answerId}"]`);
    await cited.waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute("data-answer-id")))
      .toBe(answerId);
    expect(await cited.textContent()).toContain("Citata nella bozza");
    await screenshot(page, "room-cited-answer", false);
    expect(
      await page.getByRole("tab", { name: /Domande chiave/ }).getAttribute("aria-selected"),
    ).toBe("true");
    expect(await seriousViolations(page)).toEqual([]);
    await page.goBack();
    await page.waitForURL(`**${DESK}`);
    await page.locator('.connection[data-state="online"]').waitFor();
  });

  test("downloads the draft as DOCX", async (ctx) => {
    const probe = await fetch(`${server.url}/api/programmes/${PROGRAMME}/draft.docx`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    if (probe.status === 404) {
      console.warn("draft.docx is not served yet (404): the DOCX download is not checked");
      ctx.skip();
    }
    const { page } = drafter;
    await page.getByRole("tab", { name: "Esporta" }).click();
    const exports = page.getByRole("region", { name: "Esporta il documento" });
    const download = page.waitForEvent("download");
    await exports.getByRole("button", { name: "Word (DOCX)" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.docx$/);
    const bytes = readFileSync(await file.path());
    expect(bytes.subarray(0, 2).toString()).toBe("PK"); // a zip, as a DOCX is
    await expect.poll(() => exports.getByRole("status").textContent()).toContain("Scaricato");
  });

  test("writes a footnote with the toolbar's dialog, shared, edited, exported as a footnote", async () => {
    const { page } = drafter;
    // A sentence in a chapter, and a note after it.
    const paragraph = draftText(page).locator("p", { hasText: S3_TEXT });
    await paragraph.click({ position: { x: 4, y: 6 } });
    await page.keyboard.press("End");
    await page.keyboard.type(` ${NOTED}`);
    await expect.poll(() => paragraph.textContent()).toContain(`${S3_TEXT} ${NOTED}`);
    await page.getByRole("button", { name: "Inserisci una nota a piè di pagina" }).click();
    const insert = page.getByRole("dialog", { name: "Nuova nota a piè di pagina" });
    const field = insert.getByLabel("Testo della nota");
    await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);
    expect(await insert.getByRole("button", { name: "Inserisci" }).isDisabled()).toBe(true);
    expect(await insert.textContent()).toContain("0 di 2000 caratteri");
    await field.fill(NOTE);
    expect(await insert.textContent()).toContain(`${NOTE.length} di 2000 caratteri`);
    await insert.getByRole("button", { name: "Inserisci" }).click();
    await insert.waitFor({ state: "detached" });

    // The numbered marker right after the sentence, its words read out with it.
    const marker = paragraph.locator("sup.footnote");
    await marker.waitFor();
    expect(await marker.locator(".footnote-number").textContent()).toBe("1");
    expect(await marker.getAttribute("data-text")).toBe(NOTE);
    expect(await marker.locator(".visually-hidden").textContent()).toBe(`Nota 1: ${NOTE}`);
    expect(
      await marker.evaluate(
        (el, noted) => el.previousSibling?.textContent?.endsWith(noted) ?? false,
        NOTED,
      ),
    ).toBe(true);
    // The keyboard is back in the text, the caret after the note: typing goes on after it.
    await expect.poll(() => page.evaluate(inText)).toBe(true);
    await page.keyboard.type(" Segue.");
    await expect.poll(() => paragraph.textContent()).toMatch(/1Nota 1: .* Segue\.$/);

    // Another drafter sees it live.
    const context = await newContext(browser);
    const other = await context.newPage();
    await joinByInvite(other, await server.invite("drafter"), "Diego Redattore");
    await other.waitForURL(`**${DESK}`);
    await other.locator('.connection[data-state="online"]').waitFor();
    const otherMarker = draftText(other).locator("p", { hasText: S3_TEXT }).locator("sup.footnote");
    await otherMarker.waitFor();
    expect(await otherMarker.locator(".footnote-number").textContent()).toBe("1");
    expect(await otherMarker.getAttribute("data-text")).toBe(NOTE);

    // A click on the note opens it; Escape closes it, leaving it selected, and Enter reopens it.
    await otherMarker.click();
    const edit = other.getByRole("dialog", { name: "Nota 1" });
    await expect.poll(() => edit.getByLabel("Testo della nota").inputValue()).toBe(NOTE);
    expect(await edit.getByRole("button", { name: "Elimina la nota" }).count()).toBe(1);
    await other.keyboard.press("Escape");
    await edit.waitFor({ state: "detached" });
    await expect
      .poll(() => otherMarker.getAttribute("class"))
      .toContain("ProseMirror-selectednode");
    await expect.poll(() => other.evaluate(inText)).toBe(true);
    await other.keyboard.press("Enter");
    await edit.waitFor();
    expect(await otherMarker.count()).toBe(1); // Enter opened it, not replaced it with a new line
    await edit.getByLabel("Testo della nota").fill(NOTE_EDITED);
    await screenshot(other, "draft-footnote-dialog", false);
    expect(await seriousViolations(other)).toEqual([]);
    await edit.getByRole("button", { name: "Salva la nota" }).click();
    await edit.waitFor({ state: "detached" });
    await expect.poll(() => otherMarker.getAttribute("data-text")).toBe(NOTE_EDITED);
    // The first drafter's text follows; its note shows its words while selected.
    await expect.poll(() => marker.getAttribute("data-text")).toBe(NOTE_EDITED);
    await context.close();
    await marker.evaluate((el) => el.scrollIntoView({ block: "center" }));
    await marker.click();
    const mine = page.getByRole("dialog", { name: "Nota 1" });
    await mine.waitFor();
    await page.keyboard.press("Escape");
    await mine.waitFor({ state: "detached" });
    await screenshot(page, "draft-footnote", false);
    expect(await seriousViolations(page)).toEqual([]);

    // The server holds the edit; the Markdown export makes it a real footnote.
    const witness = await openDocument(server, `draft:${PROGRAMME}`);
    clients.push(witness);
    await untilDocument(
      witness.doc,
      () => witness.doc.getXmlFragment("body").toString().includes(NOTE_EDITED),
      "the edited footnote in the draft on the server",
    );
    await page.getByRole("tab", { name: "Esporta" }).click();
    const exports = page.getByRole("region", { name: "Esporta il documento" });
    const download = page.waitForEvent("download");
    await exports.getByRole("button", { name: "Markdown" }).click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.md$/);
    const markdown = readFileSync(await file.path(), "utf8");
    const line = new RegExp(`^\\[\\^(\\d+)\\]: ${NOTE_EDITED}$`, "m").exec(markdown);
    expect(line, `a "[^N]: ${NOTE_EDITED}" line in:\n${markdown}`).not.toBeNull();
    expect(markdown).toContain(`${NOTED}[^${line![1]}]`);
    expect(markdown.match(/Ministero dell'Interno/g)).toHaveLength(1); // the edit, not both
  });

  test("the desk is accessible and fits a desktop and a phone", async () => {
    const { page } = drafter;
    await page.getByRole("tab", { name: "Seminari" }).click();
    await panel(page).waitFor();
    await draftText(page).waitFor();
    await screenshot(page, "draft-desk-desktop");
    expect(await seriousViolations(page)).toEqual([]);
    await page.setViewportSize(PHONE);
    await screenshot(page, "draft-desk-phone");
    expect(await seriousViolations(page)).toEqual([]);
    // Nothing is wider than the phone.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
  });

  test("a participant reads the draft read-only and opens a citation with the keyboard", async () => {
    if (!participant) throw new Error("the participant of seminar 2 did not join");
    const { page } = participant;
    await page.goto(`${server.url}${DESK}`);
    await page.locator('.connection[data-state="online"]').waitFor();
    await draftText(page).waitFor();
    expect(await draftText(page).getAttribute("contenteditable")).toBe("false");
    expect(await page.getByRole("button", { name: /^Riporta/ }).count()).toBe(0);
    expect(await page.locator(".toolbar").count()).toBe(0);
    const citation = draftText(page).getByRole("button", { name: /^Citazione:/ });
    await citation.focus();
    await page.keyboard.press("Enter");
    const sheet = page.getByRole("dialog", { name: "Risposta citata" });
    await expect.poll(() => sheet.locator(".citation-answer").textContent()).toBe(ANSWER_TEXT);
    await page.keyboard.press("Escape");
    await sheet.waitFor({ state: "detached" });
    expect(await seriousViolations(page)).toEqual([]);
  });
});
