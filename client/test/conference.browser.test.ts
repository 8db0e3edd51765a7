import { afterAll, beforeAll, describe, expect, test } from "vitest";
import * as Y from "yjs";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  DESKTOP,
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
 * The plenary conference (issue 10) in Debian's Chromium against the real server: the admin
 * makes the conference's participant link (with its QR code) and opens the plenary screen from
 * the drafting desk; two participants join by that link — Ada on a 360 px phone, Bruno on a
 * laptop and anonymously — and a drafter runs the plenary from the desk. A comment on a passage
 * stays on its words while the drafter edits around them; a reaction changes the totals for
 * everyone at once, and by kind of actor a section divides and then is common ground; a
 * suggestion supported by Ada is accepted by the drafter and the text changes for all, another
 * is rejected with a reason, a third no longer applies once its passage changed; the Esito page
 * shows each with what became of it and why; the plenary screen follows all of it live.
 */
const DESK = `/programmi/${PROGRAMME}/bozza`;
const CONFERENCE = `/programmi/${PROGRAMME}/conferenza`;
const OUTCOMES = `/programmi/${PROGRAMME}/esito`;
const AGENDA = "agenda-2030";
const COSVILUPPO = "co-sviluppo";
const AGENDA_TEXT = "La Regione sostiene gli obiettivi con i partner del territorio.";
const COSVILUPPO_TEXT = "Le diaspore sono ponti tra i territori. Servono fondi stabili.";
const COMMENTED = "gli obiettivi";
const COMMENT = "Quali obiettivi? Meglio elencarli.";
const ACCEPTED_REASON = "Più inclusivo";
const REJECTED_REASON = "Fuori tema per questo capitolo";

interface Person {
  context: BrowserContext;
  page: Page;
}

let server: RunningServer;
let browser: Browser;
let admin: Person;
let screen: Page;
let drafter: Person;
let ada: Person;
let bruno: Person;
let participantLink = "";
const clients: DocumentClient[] = [];

/** The paragraph right after a chapter's heading in the draft's body. */
function chapterParagraph(doc: Y.Doc, title: string): Y.XmlElement {
  const nodes = doc.getXmlFragment("body").toArray();
  const heading = nodes.findIndex(
    (node) => node instanceof Y.XmlElement && node.toString().includes(`>${title}<`),
  );
  return nodes[heading + 1] as Y.XmlElement;
}

const section = (page: Page, key: string) => page.locator(`.conf-section[data-section="${key}"]`);
const sectionText = (page: Page, key: string) => section(page, key).locator(".conf-text");
const draftText = (page: Page) => page.locator(".draft-text .editor-text");
const deskSection = (page: Page, key: string) =>
  page.locator(`.conf-desk-section[data-section="${key}"]`);
const count = (scope: ReturnType<Page["locator"]>, reaction: string) =>
  scope.locator(`[data-count="${reaction}"]`).first().textContent();
/** What arrives through the server (and, for totals by kind, its next poll). */
const LIVE = { timeout: 10_000 };
/** "At once": what one person does, the others see within this. */
const AT_ONCE = { timeout: 3000 };

/** Opens a section's comments or suggestions, unless they are open already. */
async function openPanel(page: Page, key: string, name: RegExp): Promise<void> {
  const toggle = section(page, key).locator(".conf-toggles").getByRole("button", { name });
  if ((await toggle.getAttribute("aria-expanded")) !== "true") await toggle.click();
}

/** Selects `words` in a section's text, as a reader does with the mouse or a long press. */
async function selectWords(page: Page, key: string, words: string): Promise<void> {
  await page.evaluate(
    ({ key, words }) => {
      const root = document.querySelector(`.conf-section[data-section="${key}"] .conf-text`);
      if (!root) throw new Error(`no section ${key}`);
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const at = node.textContent?.indexOf(words) ?? -1;
        if (at < 0) continue;
        const range = document.createRange();
        range.setStart(node, at);
        range.setEnd(node, at + words.length);
        const selection = document.getSelection()!;
        selection.removeAllRanges();
        selection.addRange(range);
        return;
      }
      throw new Error(`"${words}" is not in one text node of ${key}`);
    },
    { key, words },
  );
}

/** Types `text` into the drafter's editor just after `after` (the editor's own transaction). */
async function insertAfter(page: Page, after: string, text: string): Promise<void> {
  await page.evaluate(
    ({ after, text }) => {
      interface Node {
        isText: boolean;
        text?: string;
      }
      interface Probe {
        state: {
          doc: { descendants(f: (node: Node, pos: number) => void): void };
          tr: { insertText(text: string, pos: number): unknown };
        };
        view: { dispatch(tr: unknown): void };
      }
      const editor = (
        document.querySelector(".draft-text .ProseMirror") as unknown as { editor: Probe }
      ).editor;
      let at = -1;
      editor.state.doc.descendants((node, pos) => {
        if (at < 0 && node.isText && node.text?.includes(after)) {
          at = pos + node.text.indexOf(after) + after.length;
        }
      });
      if (at < 0) throw new Error(`"${after}" is not in the draft`);
      editor.view.dispatch(editor.state.tr.insertText(text, at));
    },
    { after, text },
  );
}

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
  // The chapters' text, as the drafting team wrote it before the conference.
  const draft = await openDocument(server, `draft:${PROGRAMME}`);
  clients.push(draft);
  draft.doc.transact(() => {
    for (const [title, content] of [
      ["Agenda 2030", AGENDA_TEXT],
      ["Co-sviluppo", COSVILUPPO_TEXT],
    ] as const) {
      const text = new Y.XmlText();
      chapterParagraph(draft.doc, title).insert(0, [text]);
      text.insert(0, content);
    }
  });
  const witness = await openDocument(server, `draft:${PROGRAMME}`);
  clients.push(witness);
  await untilDocument(
    witness.doc,
    () => witness.doc.getXmlFragment("body").toString().includes(COSVILUPPO_TEXT),
    "the chapters' text on the server",
  );
});

afterAll(async () => {
  for (const client of clients) client.close();
  await browser?.close();
  await server?.stop();
});

describe("the plenary conference", () => {
  test("the admin makes the conference link and QR code and opens the plenary screen from the desk", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await joinByInvite(page, await server.invite("admin"), "Anna Amministratrice");
    await page.waitForURL((url) => url.pathname === "/");
    admin = { context, page };
    await page.goto(`${server.url}${DESK}`);
    await page.locator('.connection[data-state="online"]').waitFor();
    await page.getByRole("tab", { name: "Conferenza" }).click();
    const invites = page.getByRole("region", { name: "Inviti alla conferenza" });
    await invites.getByRole("button", { name: "Crea il link per i partecipanti" }).click();
    const link = invites.getByLabel("Link per i partecipanti");
    await expect.poll(() => link.inputValue()).toMatch(/\/i\/[\w-]+$/);
    participantLink = await link.inputValue();
    await invites.getByRole("img", { name: /Codice QR del link per i partecipanti/ }).waitFor();
    expect(await invites.textContent()).toContain("compare anche sullo schermo della plenaria");
    // The conference's invites are listed below: what each is and who made it, never a link.
    const listed = invites.getByRole("region", { name: "Inviti", exact: true }).locator("tbody tr");
    await expect.poll(() => listed.count()).toBe(1);
    expect(await listed.first().locator("td").allTextContents()).toEqual([
      "partecipante",
      "Anna Amministratrice",
      expect.any(String),
      "0",
      "Revoca",
    ]);
    expect(await listed.locator("input").count()).toBe(0);

    const opened = context.waitForEvent("page");
    await invites.getByRole("button", { name: "Apri lo schermo della plenaria" }).click();
    screen = await opened;
    await screen.setViewportSize({ width: 1920, height: 1080 });
    await screen.waitForURL(
      (url) => url.pathname === `/programmi/${PROGRAMME}/plenaria` && url.searchParams.has("token"),
    );
    await screen.getByText("In attesa della sezione da presentare.").waitFor();
    await screen.getByRole("img", { name: "Codice QR per partecipare alla conferenza" }).waitFor();
    expect(await invites.getByLabel(/Link dello schermo della plenaria/).inputValue()).toContain(
      "vista=plenaria",
    );
  });

  test("two participants join by the conference link and land on the conference; a drafter on the desk", async () => {
    const phone = await newContext(browser, PHONE);
    const phonePage = await phone.newPage();
    await joinByInvite(phonePage, participantLink, "Ada Rossi", { actor: "ngo" });
    await phonePage.waitForURL(`**${CONFERENCE}`);
    ada = { context: phone, page: phonePage };

    const laptop = await newContext(browser);
    const laptopPage = await laptop.newPage();
    await joinByInvite(laptopPage, participantLink, "", {
      actor: "local-authority",
      anonymous: true,
    });
    await laptopPage.waitForURL(`**${CONFERENCE}`);
    bruno = { context: laptop, page: laptopPage };

    const desk = await newContext(browser);
    const deskPage = await desk.newPage();
    await joinByInvite(deskPage, await server.invite("drafter"), "Dora Redattrice", {
      actor: "public-body",
    });
    await deskPage.waitForURL(`**${DESK}`);
    drafter = { context: desk, page: deskPage };
    await deskPage.locator('.connection[data-state="online"]').waitFor();
    await draftText(deskPage).waitFor();
    await deskPage.getByRole("tab", { name: "Conferenza" }).click();
    // Every section offers "Presenta in plenaria" in view, its items folded or not (issue 22).
    const deskSections = deskPage.locator(".conf-desk-section");
    await deskSections.first().waitFor();
    const presentButtons = deskSections.getByRole("button", { name: "Presenta in plenaria" });
    expect(await presentButtons.count()).toBe(await deskSections.count());
    expect(await deskPage.locator(".conf-desk-items:not([open])").count()).toBeGreaterThan(0);
    for (const button of await presentButtons.all()) expect(await button.isVisible()).toBe(true);

    for (const { page } of [ada, bruno]) {
      await page.locator('.connection[data-state="online"]').waitFor();
      await expect.poll(() => sectionText(page, AGENDA).textContent()).toContain(AGENDA_TEXT);
      expect(await page.locator(".conf-section").count()).toBe(9);
    }
    // A drafter invites the conference too (programme-wide links): a new link, no error.
    const qr = drafter.page.locator(".conf-invites .invite-qr");
    const before = (await qr.count()) > 0 ? await qr.getAttribute("src") : null;
    await drafter.page
      .getByRole("button", { name: "Crea un nuovo link per i partecipanti" })
      .click();
    await expect
      .poll(async () => ((await qr.count()) > 0 ? await qr.getAttribute("src") : null))
      .not.toBe(before);
    expect(await drafter.page.locator(".conf-invites [role=alert]").count()).toBe(0);
  });

  test("the drafter presents a section: everyone following sees it highlighted, and the screen shows it", async () => {
    await drafter.page.getByLabel("Sezione presentata alla plenaria").selectOption(AGENDA);
    for (const { page } of [ada, bruno]) {
      await section(page, AGENDA).and(page.locator(".spotlit")).waitFor();
      expect(await section(page, AGENDA).textContent()).toContain("In presentazione");
    }
    // Ada's phone followed it there.
    await expect
      .poll(() => section(ada.page, AGENDA).evaluate((el) => el.getBoundingClientRect().top), LIVE)
      .toBeLessThan(PHONE.height / 2);
    await screen.getByRole("heading", { level: 1, name: "Agenda 2030" }).waitFor();
    expect(await screen.locator(".plenary-text").textContent()).toContain(AGENDA_TEXT);
  });

  test("a comment on a passage stays on its words after the drafter edits around it", async () => {
    const { page } = ada;
    await selectWords(page, AGENDA, COMMENTED);
    const bar = page.getByRole("group", { name: "Passo selezionato" });
    await expect.poll(() => bar.textContent()).toContain(`«${COMMENTED}»`);
    await screenshot(page, "conference-phone-selection", false);
    await bar.getByRole("button", { name: "Commenta" }).click();
    const form = section(page, AGENDA).locator("form");
    expect(await form.getByLabel(/Passo commentato/).inputValue()).toBe(COMMENTED);
    await form.getByLabel("Il tuo commento").fill(COMMENT);
    await form.getByRole("button", { name: "Pubblica il commento" }).click();

    // Bruno sees it at once, on its words.
    const mark = (p: Page) => sectionText(p, AGENDA).locator("mark[data-comments]");
    await expect.poll(() => mark(bruno.page).allTextContents(), LIVE).toEqual([COMMENTED]);
    await openPanel(bruno.page, AGENDA, /^Commenti/);
    const thread = section(bruno.page, AGENDA).locator(".conf-comment").first();
    expect(await thread.textContent()).toContain("Ada Rossi");
    expect(await thread.textContent()).toContain(COMMENT);
    expect(await thread.locator(".conf-quote").textContent()).toBe(`«${COMMENTED}»`);

    // The drafter writes before the passage and right after it.
    const desk = drafter.page;
    await draftText(desk)
      .locator("p", { hasText: "La Regione sostiene" })
      .click({ position: { x: 4, y: 6 } });
    await desk.keyboard.press("Home");
    await desk.keyboard.type("Dal 2021 ");
    await insertAfter(desk, COMMENTED, " comuni");
    const edited = "Dal 2021 La Regione sostiene gli obiettivi comuni con i partner";
    for (const p of [ada.page, bruno.page]) {
      await expect.poll(() => sectionText(p, AGENDA).textContent(), LIVE).toContain(edited);
      expect(await mark(p).allTextContents()).toEqual([COMMENTED]);
    }
    // The desk lists it to resolve, with its passage.
    await expect
      .poll(() => deskSection(desk, AGENDA).locator(".conf-comment").first().textContent(), LIVE)
      .toContain(`«${COMMENTED}»`);

    // Bruno answers, anonymously; the thread shows "anonimo".
    await thread.getByRole("button", { name: "Rispondi" }).click();
    await thread.getByLabel("La tua risposta").fill("D'accordo, con gli indicatori.");
    await thread.getByRole("button", { name: "Invia la risposta" }).click();
    await openPanel(page, AGENDA, /^Commenti/);
    const adaThread = section(page, AGENDA).locator(".conf-comment").first();
    await expect
      .poll(() => adaThread.locator(".conf-reply").textContent(), LIVE)
      .toContain("D'accordo, con gli indicatori.");
    expect(await adaThread.locator(".conf-reply").textContent()).toContain("anonimo");
  });

  test("a comment whose passage is deleted says so", async () => {
    const { page } = bruno;
    await selectWords(page, COSVILUPPO, "fondi stabili");
    await page
      .getByRole("group", { name: "Passo selezionato" })
      .getByRole("button", { name: "Commenta" })
      .click();
    const form = section(page, COSVILUPPO).locator("form");
    await form.getByLabel("Il tuo commento").fill("Quali fondi?");
    await form.getByRole("button", { name: "Pubblica il commento" }).click();
    await expect
      .poll(() => sectionText(ada.page, COSVILUPPO).locator("mark").allTextContents(), LIVE)
      .toEqual(["fondi stabili"]);
    // The drafter deletes the sentence.
    const desk = drafter.page;
    const paragraph = draftText(desk).locator("p", { hasText: "Servono fondi stabili." });
    await paragraph.click({ position: { x: 4, y: 6 } });
    await desk.keyboard.press("End");
    for (let i = 0; i < " Servono fondi stabili.".length; i++)
      await desk.keyboard.press("Backspace");
    await expect
      .poll(() => sectionText(page, COSVILUPPO).textContent(), LIVE)
      .toBe("Le diaspore sono ponti tra i territori.");
    const comment = section(page, COSVILUPPO).locator(".conf-comment").first();
    await expect
      .poll(() => comment.textContent(), LIVE)
      .toContain("Il passo commentato è stato eliminato.");
    expect(await sectionText(page, COSVILUPPO).locator("mark").count()).toBe(0);
  });

  test("a reaction changes the totals for everyone at once, and by kind of actor", async () => {
    const reactions = (p: Page) => section(p, AGENDA).locator(".conf-reactions");
    await reactions(ada.page)
      .getByRole("button", { name: /^D'accordo/ })
      .click();
    expect(
      await reactions(ada.page)
        .getByRole("button", { name: /^D'accordo/ })
        .getAttribute("aria-pressed"),
    ).toBe("true");
    await expect.poll(() => count(reactions(bruno.page), "agree"), AT_ONCE).toBe("1");
    await expect.poll(() => count(screen.locator(".plenary-totals"), "agree"), AT_ONCE).toBe("1");

    await reactions(bruno.page)
      .getByRole("button", { name: /^Contrario/ })
      .click();
    await expect.poll(() => count(reactions(ada.page), "disagree"), AT_ONCE).toBe("1");
    await expect
      .poll(() => count(screen.locator(".plenary-totals"), "disagree"), AT_ONCE)
      .toBe("1");
    // The NGOs agree and the local authorities do not: the section divides.
    await expect
      .poll(() => reactions(ada.page).locator("[data-verdict]").textContent(), LIVE)
      .toBe("Divide");
    await screen.locator('.plenary [data-verdict="divisive"]').waitFor();
    await reactions(ada.page).getByText("Per tipo di attore").click();
    const byKind = reactions(ada.page).locator(".by-kind");
    expect(await byKind.locator('[data-kind="ngo"]').textContent()).toContain("1 d'accordo");
    expect(await byKind.locator('[data-kind="local-authority"]').textContent()).toContain(
      "1 contrario",
    );

    // Bruno changes his mind: one reaction per person, so the totals move, not add up.
    await reactions(bruno.page)
      .getByRole("button", { name: /^D'accordo/ })
      .click();
    await expect.poll(() => count(reactions(ada.page), "agree"), AT_ONCE).toBe("2");
    expect(await count(reactions(ada.page), "disagree")).toBe("0");
    await expect
      .poll(() => reactions(ada.page).locator("[data-verdict]").textContent(), LIVE)
      .toBe("Terreno comune");
    await screen.locator('.plenary [data-verdict="common-ground"]').waitFor();
    expect(await count(screen.locator(".plenary-totals"), "agree")).toBe("2");
  });

  test("a suggestion supported by one and accepted by the drafter changes the body for all", async () => {
    // Bruno selects a passage and proposes a replacement, shown as a redline.
    const { page } = bruno;
    await selectWords(page, AGENDA, "con i partner");
    await page
      .getByRole("group", { name: "Passo selezionato" })
      .getByRole("button", { name: "Proponi una modifica" })
      .click();
    const form = section(page, AGENDA).locator("form");
    const proposed = form.getByLabel("Testo proposto al suo posto");
    expect(await proposed.inputValue()).toBe("con i partner");
    await proposed.fill("con tutti i partner");
    expect(await form.locator(".conf-preview .conf-redline ins").allTextContents()).toEqual([
      expect.stringContaining("tutti"),
    ]);
    await form.getByRole("button", { name: "Invia la proposta" }).click();
    // Its author is not offered support or objection on it (the schema's own-vote rule).
    const own = section(page, AGENDA).locator(".conf-suggestion").first();
    await own.waitFor();
    expect(await own.getByRole("button", { name: "Sostengo" }).count()).toBe(0);

    // Ada supports it: the count changes for everyone.
    await openPanel(ada.page, AGENDA, /^Proposte/);
    const card = section(ada.page, AGENDA).locator(".conf-suggestion").first();
    expect(await card.locator("ins").textContent()).toContain("tutti");
    await card.getByRole("button", { name: "Sostengo" }).click();
    expect(await card.getByRole("button", { name: "Sostengo" }).getAttribute("aria-pressed")).toBe(
      "true",
    );
    await expect
      .poll(() => card.locator('[data-count="support"]').textContent(), AT_ONCE)
      .toBe("1 sostegno");
    await openPanel(page, AGENDA, /^Proposte/);
    await expect
      .poll(
        () =>
          section(page, AGENDA).locator('.conf-suggestion [data-count="support"]').textContent(),
        AT_ONCE,
      )
      .toBe("1 sostegno");
    await expect
      .poll(() => screen.locator(".plenary-suggestions li").first().textContent(), AT_ONCE)
      .toContain("1 sostegno");
    // The plenary screen as the hall sees it now: totals, by kind, the supported suggestion.
    await screenshot(screen, "plenary-screen", false);
    expect(await seriousViolations(screen)).toEqual([]);

    // The drafter accepts it with a reason: the body changes for everyone.
    const desk = drafter.page;
    const deskCard = deskSection(desk, AGENDA).locator(".conf-suggestion").first();
    await expect
      .poll(() => deskCard.locator('[data-count="support"]').textContent(), LIVE)
      .toBe("1 sostegno");
    await deskCard.getByRole("button", { name: "Accogli" }).click();
    await deskCard.getByLabel("Motivazione (facoltativa)").fill(ACCEPTED_REASON);
    await deskCard.getByRole("button", { name: "Accogli e modifica il testo" }).click();
    const accepted = "gli obiettivi comuni con tutti i partner del territorio";
    await expect.poll(() => draftText(desk).textContent(), LIVE).toContain(accepted);
    for (const p of [ada.page, bruno.page]) {
      await expect.poll(() => sectionText(p, AGENDA).textContent(), AT_ONCE).toContain(accepted);
    }
    await expect
      .poll(() => screen.locator(".plenary-text").textContent(), AT_ONCE)
      .toContain(accepted);
    expect(
      await section(ada.page, AGENDA).getByRole("button", { name: "Proposte (0)" }).count(),
    ).toBe(1);
    // Decided, it folds away on the desk, with what became of it.
    const folded = deskSection(desk, AGENDA).locator(".conf-resolved");
    expect(await folded.locator("summary").textContent()).toMatch(/risolt/);
    expect(await folded.locator(".conf-suggestion").first().textContent()).toContain(
      ACCEPTED_REASON,
    );
  });

  test("a rejection needs a reason, and a suggestion whose passage changed is not applied", async () => {
    // Ada names the passage by typing its words (no selection): the keyboard's way.
    const { page } = ada;
    const panel = section(page, AGENDA);
    await panel.getByRole("button", { name: "Proponi una modifica" }).click();
    const form = panel.locator("form");
    await form.getByLabel("Passo da sostituire").fill("del territorio");
    await form.getByLabel("Testo proposto al suo posto").fill("della Toscana e oltre");
    await form.getByRole("button", { name: "Invia la proposta" }).click();
    await panel.getByRole("button", { name: "Proponi una modifica" }).click();
    await form.getByLabel("Passo da sostituire").fill("Dal 2021");
    await form.getByLabel("Testo proposto al suo posto").fill("Dal 2022");
    await form.getByRole("button", { name: "Invia la proposta" }).click();
    await expect
      .poll(() => panel.locator(".conf-suggestion[data-status=open]").count(), LIVE)
      .toBe(2);

    const desk = drafter.page;
    const card = (words: string) =>
      deskSection(desk, AGENDA).locator(".conf-suggestion", { hasText: words }).first();
    const rejected = card("della Toscana e oltre");
    await rejected.getByRole("button", { name: "Respingi" }).click();
    await rejected.getByRole("button", { name: "Respingi la proposta" }).click();
    await expect
      .poll(() => rejected.getByRole("alert").textContent())
      .toContain("Per respingere una proposta scrivi perché.");
    await rejected.getByLabel("Motivazione (obbligatoria)").fill(REJECTED_REASON);
    await rejected.getByRole("button", { name: "Respingi la proposta" }).click();
    await expect
      .poll(() => page.locator(`.conf-suggestion[data-status="rejected"]`).count(), LIVE)
      .toBe(1);

    // The drafter rewrites "Dal 2021" by hand first: accepting it is refused, and said so.
    await insertAfter(desk, "Dal ", "gennaio ");
    const stale = card("2022");
    await expect.poll(() => stale.textContent(), LIVE).toContain("Il passo è cambiato");
    await stale.getByRole("button", { name: "Accogli" }).click();
    await stale.getByRole("button", { name: "Accogli e modifica il testo" }).click();
    await expect
      .poll(() => stale.getByRole("alert").textContent(), LIVE)
      .toContain("la modifica non è stata applicata");
    await stale.getByRole("button", { name: "Vai al passo nel testo" }).click();
    await expect
      .poll(() => desk.evaluate(() => document.getSelection()?.toString()))
      .toBe("Dal gennaio 2021");
    expect(await draftText(desk).textContent()).toContain("Dal gennaio 2021 La Regione");

    // Ada withdraws it herself (only its author may): it folds away as withdrawn, for all.
    const own = panel.locator('.conf-suggestion[data-status="open"]', { hasText: "2022" });
    await own.getByRole("button", { name: "Ritira la proposta" }).click();
    await expect.poll(() => stale.getAttribute("data-status"), LIVE).toBe("withdrawn");
    await expect
      .poll(
        () => section(bruno.page, AGENDA).locator(".conf-suggestion[data-status=open]").count(),
        LIVE,
      )
      .toBe(0);
  });

  test("the Esito page shows every suggestion with its support and what became of it, and why", async () => {
    const { page } = bruno;
    await page.goto(`${server.url}${OUTCOMES}`);
    await page.getByRole("heading", { level: 1, name: "Esito delle proposte" }).waitFor();
    const outcomes = page.locator(".outcome-section", { hasText: "Agenda 2030" });
    const accepted = outcomes.locator('.conf-suggestion[data-status="accepted"]');
    await expect.poll(() => accepted.textContent(), LIVE).toContain(ACCEPTED_REASON);
    expect(await accepted.textContent()).toContain("Accolta da Dora Redattrice");
    expect(await accepted.textContent()).toContain("1 sostegno");
    expect(await accepted.locator("ins").textContent()).toContain("tutti");
    const rejected = outcomes.locator('.conf-suggestion[data-status="rejected"]');
    expect(await rejected.textContent()).toContain(REJECTED_REASON);
    const withdrawn = outcomes.locator('.conf-suggestion[data-status="withdrawn"]');
    expect(await withdrawn.textContent()).toContain("Ritirata da chi l'aveva proposta.");
    expect(await outcomes.locator('.conf-suggestion[data-status="open"]').count()).toBe(0);
    expect(await page.locator('[data-count="accepted"]').textContent()).toBe("1");
    await screenshot(page, "esito");
    expect(await seriousViolations(page)).toEqual([]);
  });

  test("a reader who scrolled away is not moved, and is offered the way back", async () => {
    const { page } = ada;
    await page.evaluate(() => window.scrollTo(0, 0));
    await expect
      .poll(() => section(page, AGENDA).evaluate((el) => el.getBoundingClientRect().top))
      .toBeGreaterThan(PHONE.height);
    await drafter.page.getByLabel("Sezione presentata alla plenaria").selectOption(COSVILUPPO);
    await section(page, COSVILUPPO).and(page.locator(".spotlit")).waitFor();
    const back = page.getByRole("button", { name: "Torna alla sezione presentata" });
    await back.waitFor();
    expect(await page.evaluate(() => window.scrollY)).toBe(0);
    await back.click();
    await expect
      .poll(() => section(page, COSVILUPPO).evaluate((el) => el.getBoundingClientRect().top), LIVE)
      .toBeLessThan(PHONE.height / 2);
    await back.waitFor({ state: "detached" });
    await screen.getByRole("heading", { level: 1, name: "Co-sviluppo" }).waitFor();
  });

  test("every screen is accessible: the phone, the laptop, the desk and the plenary screen", async () => {
    // The phone, following the presented section — without motion, as it asks for.
    const { page } = ada;
    await page.emulateMedia({ reducedMotion: "reduce" });
    await drafter.page.getByLabel("Sezione presentata alla plenaria").selectOption(AGENDA);
    await expect
      .poll(() => section(page, AGENDA).evaluate((el) => el.getBoundingClientRect().top), LIVE)
      .toBeLessThan(20); // at its scroll margin: jumped there, not gliding
    await screenshot(page, "conference-phone", false);
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(
      PHONE.width,
    );
    await bruno.page.goto(`${server.url}${CONFERENCE}`);
    await section(bruno.page, AGENDA).and(bruno.page.locator(".spotlit")).waitFor();
    await screenshot(bruno.page, "conference-desktop");
    expect(await seriousViolations(bruno.page)).toEqual([]);
    await screenshot(drafter.page, "conference-desk");
    // The desk's fifth tab does not widen it past the screen.
    expect(
      await drafter.page.evaluate(() => document.documentElement.scrollWidth),
    ).toBeLessThanOrEqual(DESKTOP.width);
    expect(await seriousViolations(drafter.page)).toEqual([]);
    expect(await seriousViolations(admin.page)).toEqual([]);
    await screen.getByRole("heading", { level: 1, name: "Agenda 2030" }).waitFor();
    expect(await seriousViolations(screen)).toEqual([]);
  });
});
