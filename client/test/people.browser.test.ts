import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, BrowserContext, Page } from "playwright-core";
import {
  ADMIN_TOKEN,
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
 * People, authorship and history (DESIGN.md §4.1) in Debian's Chromium against the real
 * server: three participants join on one invite link and are three people — their votes count
 * one each, each edits only their own answer, the anonymous one's name is shown nowhere — the
 * recommendations show who wrote what, the console's Cronologia lists who changed what, and an
 * admin brings the seminar back to a moment before the answers were written.
 */
const SEMINAR = "s3-crisi-umanitarie";
let server: RunningServer;
let browser: Browser;
let invite: string;
let facilitator: Person;
let alice: Person;
let bob: Person;
let carla: Person;

interface Person {
  context: BrowserContext;
  page: Page;
}

const ANSWER_A = "Corridoi umanitari gestiti con i comuni di accoglienza";
const ANSWER_B = "Un fondo regionale per le emergenze";
const ANSWER_C = "Ascoltare le comunità della diaspora prima di intervenire";
const CARLA = "Carla Segreta";

async function participant(
  name: string,
  options: { anonymous?: boolean; actor?: string } = {},
): Promise<Person> {
  const context = await newContext(browser);
  const page = await context.newPage();
  await joinByInvite(page, invite, name, options);
  await page.waitForURL(`**/seminari/${SEMINAR}`);
  await page.locator('.connection[data-state="online"]').waitFor();
  await page.getByRole("tab", { name: /Domande chiave/ }).click();
  return { context, page };
}

/** The answer whose own text contains `text` in the first question. */
const card = (page: Page, text: string) =>
  page
    .locator(".question-card")
    .first()
    .locator(".answer")
    .filter({ has: page.locator(".answer-text", { hasText: text }) });

/** The same answer found by its id, which holds while its text is being edited. */
async function cardById(page: Page, text: string) {
  const id = await card(page, text).getAttribute("data-answer-id");
  return page.locator(`.answer[data-answer-id="${id}"]`);
}

async function answer(page: Page, text: string) {
  const question = page.locator(".question-card").first();
  await question.getByRole("textbox").first().fill(text);
  await question.getByRole("button", { name: "Invia risposta" }).click();
  await card(page, text).waitFor();
}

const voteButton = (page: Page, text: string) =>
  card(page, text).getByRole("button", { name: /Sostieni la risposta/ });

/** The Cronologia's runs, refreshed until `done` holds for their texts. */
async function historyUntil(page: Page, done: (lines: string[]) => boolean): Promise<string[]> {
  const panel = page.getByRole("region", { name: "Cronologia" });
  let lines: string[] = [];
  await expect
    .poll(async () => {
      await panel.getByRole("button", { name: "Aggiorna" }).click();
      await panel.locator(".history-run, .empty, .alert").first().waitFor();
      lines = await panel.locator(".history-line").allTextContents();
      return done(lines);
    })
    .toBe(true);
  return lines;
}

beforeAll(async () => {
  server = await startServer();
  // The starter questions are drafts: the facilitator opens them, as on the seminar day.
  await openQuestions(server, SEMINAR);
  browser = await launchChromium();

  const fContext = await newContext(browser);
  const fPage = await fContext.newPage();
  await joinByInvite(fPage, await server.invite("facilitator", SEMINAR), "Francesca Facilitatrice");
  // A facilitator lands where they work: the console.
  await fPage.waitForURL(`**/seminari/${SEMINAR}/console`);
  await fPage.locator('.connection[data-state="online"]').waitFor();
  facilitator = { context: fContext, page: fPage };
  // The facilitator's change comes first in the history: the moment the admin restores to.
  await fPage.getByRole("radio", { name: "In corso" }).check();

  invite = await server.invite("participant", SEMINAR);
  alice = await participant("Alice Rossi");
  bob = await participant("Bruno Bianchi");
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe("two participants on one invite link are two people", () => {
  test("a vote counts one per person, and no one votes on their own answer", async () => {
    await answer(alice.page, ANSWER_A);
    await card(bob.page, ANSWER_A).waitFor();
    // Her own answer shows its votes to Alice, but offers her none to cast.
    expect(await voteButton(alice.page, ANSWER_A).count()).toBe(0);
    await voteButton(bob.page, ANSWER_A).click();
    await expect.poll(() => voteButton(bob.page, ANSWER_A).textContent()).toContain("1 voto");
    expect(await voteButton(bob.page, ANSWER_A).getAttribute("aria-pressed")).toBe("true");
    await expect
      .poll(() => card(alice.page, ANSWER_A).locator(".vote-count").textContent())
      .toContain("1 voto");
    // Withdrawing and casting again: still one vote, his.
    await voteButton(bob.page, ANSWER_A).click();
    await expect
      .poll(() => card(alice.page, ANSWER_A).locator(".vote-count").textContent())
      .toContain("0 voti");
    await voteButton(bob.page, ANSWER_A).click();
    await expect
      .poll(() => card(alice.page, ANSWER_A).locator(".vote-count").textContent())
      .toContain("1 voto");
  });

  test("a page writes under the Yjs client ids /api/me handed it: named, and anonymous", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await joinByInvite(page, invite, "Dario Doppio");
    await page.waitForURL(`**/seminari/${SEMINAR}`);
    // Each page load asks who it is, and gets a fresh pair of client ids with the answer.
    const pairs: { named: number; anonymous: number }[] = [];
    page.on("response", (response) => {
      if (!response.url().endsWith("/api/me")) return;
      void response.json().then(
        (me: { clientIds: { named: number; anonymous: number } | null }) => {
          if (me.clientIds) pairs.push(me.clientIds);
        },
        () => {},
      );
    });
    await page.reload();
    await expect.poll(() => pairs.length).toBeGreaterThan(0);
    const clientIds = pairs.at(-1)!;
    await page.locator('.connection[data-state="online"]').waitFor();
    await page.getByRole("tab", { name: /Domande chiave/ }).click();
    await answer(page, "La risposta di Dario");
    await voteButton(page, ANSWER_A).click();
    await expect.poll(() => voteButton(page, ANSWER_A).getAttribute("aria-pressed")).toBe("true");
    await voteButton(page, ANSWER_A).click(); // withdrawn: still under the anonymous id
    await expect.poll(() => voteButton(page, ANSWER_A).getAttribute("aria-pressed")).toBe("false");
    const authors = async () =>
      (await (
        await fetch(`${server.url}/api/documents/seminar:${SEMINAR}/authors`, {
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        })
      ).json()) as { clientId: number; name: string; anonymous: boolean }[];
    await expect
      .poll(async () =>
        (await authors()).filter((a) => Object.values(clientIds).includes(a.clientId)),
      )
      .toEqual(
        expect.arrayContaining([
          expect.objectContaining({ clientId: clientIds.named, name: "Dario Doppio" }),
          expect.objectContaining({ clientId: clientIds.anonymous, name: "", anonymous: true }),
        ]),
      );
    // Gone again, so the later tests count only Alice's and Bruno's answers.
    const own = await cardById(page, "La risposta di Dario");
    await own.getByRole("button", { name: /Elimina la tua risposta/ }).click();
    await own.getByRole("group", { name: /Eliminare questa risposta/ }).waitFor();
    await own.getByRole("button", { name: "Elimina", exact: true }).click();
    await expect.poll(() => card(page, "La risposta di Dario").count()).toBe(0);
    await context.close();
  });

  test("each can edit and delete only their own answer", async () => {
    await answer(bob.page, ANSWER_B);
    await card(alice.page, ANSWER_B).waitFor();
    // On someone else's answer there is nothing to edit or delete.
    expect(
      await card(alice.page, ANSWER_B)
        .getByRole("button", { name: /Modifica/ })
        .count(),
    ).toBe(0);
    expect(
      await card(alice.page, ANSWER_B)
        .getByRole("button", { name: /Elimina/ })
        .count(),
    ).toBe(0);
    expect(
      await card(bob.page, ANSWER_A)
        .getByRole("button", { name: /Modifica/ })
        .count(),
    ).toBe(0);

    // Esc cancels an edit and leaves the text as it was.
    const mine = await cardById(alice.page, ANSWER_A);
    await mine.getByRole("button", { name: /Modifica la tua risposta/ }).click();
    const box = mine.getByRole("textbox");
    await box.fill("Da non salvare");
    await box.press("Escape");
    await expect.poll(() => mine.getByRole("textbox").count()).toBe(0);
    expect(await mine.locator(".answer-text").textContent()).toBe(ANSWER_A);

    // Save: the correction reaches the other participant, the votes stay.
    await mine.getByRole("button", { name: /Modifica la tua risposta/ }).click();
    await mine.getByRole("textbox").fill(`${ANSWER_A}, con le prefetture`);
    await mine.getByRole("button", { name: "Salva" }).click();
    await card(bob.page, `${ANSWER_A}, con le prefetture`).waitFor();
    expect(await voteButton(bob.page, ANSWER_A).textContent()).toContain("1 voto");
    await screenshot(alice.page, "people-own-answer");
    expect(await seriousViolations(alice.page)).toEqual([]);
    await alice.page.setViewportSize(PHONE);
    const overflow = await alice.page.evaluate(
      () => document.documentElement.scrollWidth - window.innerWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await alice.page.setViewportSize(DESKTOP);

    // Deleting asks first, then the answer is gone for everyone.
    const theirs = card(bob.page, ANSWER_B);
    await theirs.getByRole("button", { name: /Elimina la tua risposta/ }).click();
    await theirs.getByRole("group", { name: /Eliminare questa risposta/ }).waitFor();
    expect(await seriousViolations(bob.page)).toEqual([]);
    await theirs.getByRole("button", { name: "Elimina", exact: true }).click();
    await expect.poll(() => card(alice.page, ANSWER_B).count()).toBe(0);
    await expect.poll(() => card(bob.page, ANSWER_B).count()).toBe(0);
  });

  test("a material is edited by its author and by facilitators, by no other participant", async () => {
    const title = "Rapporto sui corridoi umanitari 2020";
    await alice.page.getByRole("tab", { name: /Materiali/ }).click();
    await alice.page.getByRole("button", { name: "Proponi un materiale" }).click();
    const dialog = alice.page.getByRole("dialog");
    await dialog.getByText("Sarà proposto a nome di Alice Rossi.").waitFor();
    await dialog.getByLabel("Titolo").fill(title);
    await dialog.getByRole("button", { name: "Aggiungi" }).click();
    const mine = alice.page.locator(".material-card", { hasText: title });
    await mine.getByText("Proposto da Alice Rossi").waitFor();
    await mine.getByRole("button", { name: `Modifica il materiale: ${title}` }).waitFor();
    expect(await mine.getByRole("button", { name: `Elimina il materiale: ${title}` }).count()).toBe(
      1,
    );

    await bob.page.getByRole("tab", { name: /Materiali/ }).click();
    const theirs = bob.page.locator(".material-card", { hasText: title });
    await theirs.waitFor();
    expect(await theirs.getByRole("button").count()).toBe(0);

    const moderated = facilitator.page.locator(".material-card", { hasText: title });
    await moderated.getByRole("button", { name: `Modifica il materiale: ${title}` }).waitFor();
    expect(
      await moderated.getByRole("button", { name: `Elimina il materiale: ${title}` }).count(),
    ).toBe(1);
    for (const { page } of [alice, bob])
      await page.getByRole("tab", { name: /Domande chiave/ }).click();
  });

  test("a returning participant is welcomed back as the same person; 'Non sono' makes a new one", async () => {
    await alice.page.goto(invite);
    await alice.page.getByRole("heading", { name: "Bentornato/a, Alice Rossi" }).waitFor();
    expect(await seriousViolations(alice.page)).toEqual([]);
    await alice.page.getByRole("button", { name: "Continua" }).click();
    await alice.page.waitForURL(`**/seminari/${SEMINAR}`);
    await alice.page.getByRole("tab", { name: /Domande chiave/ }).click();
    // Still her answer, with Bruno's vote.
    await card(alice.page, ANSWER_A)
      .getByRole("button", { name: /Modifica la tua risposta/ })
      .waitFor();
    expect(await card(alice.page, ANSWER_A).locator(".vote-count").textContent()).toContain(
      "1 voto",
    );

    const other = await newContext(browser);
    const page = await other.newPage();
    await joinByInvite(page, invite, "Dario Neri");
    await page.waitForURL(`**/seminari/${SEMINAR}`);
    await page.goto(invite);
    await page.getByRole("button", { name: "Non sono Dario Neri" }).click();
    expect(await page.getByLabel("Il tuo nome").inputValue()).toBe(""); // nothing carried over
    await page.getByLabel("Il tuo nome").fill("Elena Gialli");
    await page.getByRole("button", { name: /Entra/ }).click();
    await page.waitForURL(`**/seminari/${SEMINAR}`);
    await page.locator('.connection[data-state="online"]').waitFor();
    await page.getByRole("tab", { name: /Domande chiave/ }).click();
    await card(page, ANSWER_A).waitFor();
    expect(await voteButton(page, ANSWER_A).getAttribute("aria-pressed")).toBe("false");
    expect(
      await card(page, ANSWER_A)
        .getByRole("button", { name: /Modifica/ })
        .count(),
    ).toBe(0);
    await other.close();
  });

  test("an identity kept by the old app goes through the join form again", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const token = new URL(invite).searchParams.get("token")!;
    await page.goto(server.url);
    await page.evaluate((inviteToken) => {
      localStorage.setItem(
        "percorso.identity",
        JSON.stringify({
          token: inviteToken,
          userId: "made-up-on-the-device",
          name: "Vecchio Utente",
          actorKind: "university",
          anonymous: false,
        }),
      );
    }, token);
    await page.goto(`${server.url}/seminari/${SEMINAR}`);
    await page.waitForURL(/\/join\?token=/);
    expect(await page.getByLabel("Il tuo nome").inputValue()).toBe("Vecchio Utente");
    await page.getByText(/identità personale/).waitFor();
    await page.getByRole("button", { name: /Entra/ }).click();
    await page.waitForURL(`**/seminari/${SEMINAR}`);
    await expect
      .poll(() => page.locator(".presence-list li").allTextContents())
      .toContainEqual(expect.stringContaining("Vecchio Utente"));
    await context.close();
  });
});

describe("anonymity", () => {
  beforeAll(async () => {
    carla = await participant(CARLA, { anonymous: true, actor: "diaspora" });
  });

  test("an anonymous answer shows no name anywhere: room, presence, console, citations", async () => {
    await answer(carla.page, ANSWER_C);
    // Her own anonymous answer is hers to correct (written under her anonymous client id).
    const own = await cardById(carla.page, ANSWER_C);
    await own.getByRole("button", { name: /Modifica la tua risposta/ }).click();
    await own.getByRole("textbox").fill(`${ANSWER_C}.`);
    await own.getByRole("button", { name: "Salva" }).click();
    await voteButton(carla.page, ANSWER_A).click();

    for (const { page } of [alice, bob]) {
      await card(page, `${ANSWER_C}.`).waitFor();
      await expect.poll(() => card(page, ANSWER_A).textContent()).toContain("2 voti");
      expect(await card(page, ANSWER_C).locator(".answer-meta").textContent()).toContain("Anonimo");
      await expect
        .poll(() => page.locator(".presence-list li").allTextContents())
        .toContainEqual(expect.stringContaining("anonimo · Associazione della diaspora"));
      expect(await page.locator("body").textContent()).not.toContain(CARLA);
    }
    // Carla's own page does not announce her name either.
    expect(await carla.page.locator(".presence-list").textContent()).not.toContain(CARLA);

    const console_ = facilitator.page;
    await console_.locator(".console-question").first().locator("summary").click();
    await console_
      .locator(".moderation .answer")
      .filter({ has: console_.locator(".answer-text", { hasText: ANSWER_C }) })
      .waitFor();
    await expect
      .poll(() => console_.locator(".presence-list li").allTextContents())
      .toContainEqual(expect.stringContaining("anonimo · Associazione della diaspora"));
    expect(await console_.locator("body").textContent()).not.toContain(CARLA);

    await alice.page.getByRole("tab", { name: /Raccomandazioni/ }).click();
    await alice.page.getByRole("button", { name: "Cita una risposta" }).click();
    const dialog = alice.page.getByRole("dialog");
    await dialog.getByText(ANSWER_C).waitFor();
    expect(await dialog.textContent()).not.toContain(CARLA);
    await dialog.getByRole("button", { name: "Chiudi" }).click();
  });
});

describe("authorship and history", () => {
  test("'Autori' colours the recommendations by who wrote them", async () => {
    for (const { page } of [alice, bob, carla])
      await page.getByRole("tab", { name: /Raccomandazioni/ }).click();
    const editor = (page: Page) => page.locator(".editor-text");
    await editor(alice.page).locator("p").first().click();
    await alice.page.keyboard.type("Testo di Alice. ");
    await expect.poll(() => editor(bob.page).textContent()).toContain("Testo di Alice.");
    await editor(bob.page).locator("p").last().click();
    await bob.page.keyboard.press("End");
    await bob.page.keyboard.type("Testo di Bruno.");
    await editor(carla.page).locator("p").last().click();
    await carla.page.keyboard.press("End");
    await carla.page.keyboard.type(" Testo anonimo.");
    await expect.poll(() => editor(bob.page).textContent()).toContain("Testo anonimo.");

    const toggle = bob.page.getByRole("button", { name: "Autori" });
    expect(await toggle.getAttribute("aria-pressed")).toBe("false");
    expect(await editor(bob.page).locator(".authored").count()).toBe(0);
    await toggle.click();
    expect(await toggle.getAttribute("aria-pressed")).toBe("true");
    const legend = bob.page.locator(".authors-legend li");
    await expect
      .poll(() => legend.allTextContents())
      .toEqual(expect.arrayContaining(["Alice Rossi", "Bruno Bianchi", "anonimo"]));
    expect((await legend.allTextContents()).join(" ")).not.toContain(CARLA);

    // Each person's text carries their key, the one their legend entry shows.
    const keyOf = async (name: string) =>
      legend.filter({ hasText: new RegExp(`^${name}$`) }).getAttribute("data-author");
    const spanOf = (text: string) => editor(bob.page).locator(".authored", { hasText: text });
    await expect.poll(() => spanOf("Testo di Alice").count()).toBeGreaterThan(0);
    expect(await spanOf("Testo di Alice").first().getAttribute("data-author")).toBe(
      await keyOf("Alice Rossi"),
    );
    expect(await spanOf("Testo di Bruno").first().getAttribute("data-author")).toBe(
      await keyOf("Bruno Bianchi"),
    );
    expect(await spanOf("Testo anonimo").first().getAttribute("data-author")).toBe(
      await keyOf("anonimo"),
    );
    // Exactly each person's characters, no more, no fewer: the positions are not shifted.
    const textOf = async (name: string) =>
      (
        await editor(bob.page)
          .locator(`.authored[data-author="${await keyOf(name)}"]`)
          .allTextContents()
      )
        .join("")
        .trim();
    expect(await textOf("Alice Rossi")).toBe("Testo di Alice.");
    expect(await textOf("Bruno Bianchi")).toBe("Testo di Bruno.");
    expect(await textOf("anonimo")).toBe("Testo anonimo.");
    // The seeded headings (the server's) are coloured too, the first one included.
    expect(await editor(bob.page).locator("h2").first().locator(".authored").count()).toBe(1);
    const colors = await editor(bob.page)
      .locator(".authored")
      .evaluateAll((spans) => [
        ...new Set(spans.map((s) => (s as HTMLElement).style.backgroundColor)),
      ]);
    expect(colors.length).toBeGreaterThanOrEqual(3);
    await screenshot(bob.page, "people-authors");
    expect(await seriousViolations(bob.page)).toEqual([]);

    // Typing goes on while the colours show, and the new text is coloured too.
    await editor(bob.page).locator("p").last().click();
    await bob.page.keyboard.press("End");
    await bob.page.keyboard.type(" Ancora Bruno.");
    await expect.poll(() => spanOf("Ancora Bruno").count()).toBeGreaterThan(0);
    await toggle.click();
    await expect.poll(() => editor(bob.page).locator(".authored").count()).toBe(0);
  });

  test("the console's Cronologia lists who changed what, and filters by person", async () => {
    const lines = await historyUntil(
      facilitator.page,
      (texts) =>
        texts.some((t) => t.includes("Alice Rossi")) &&
        texts.some((t) => t.includes("Bruno Bianchi")) &&
        texts.some((t) => t.startsWith("anonimo")),
    );
    expect(lines.join(" ")).toContain("Francesca Facilitatrice");
    expect(lines.join(" ")).not.toContain(CARLA);
    expect(lines.join(" ")).not.toContain("non registrato"); // Carla's text edits are "anonimo"
    expect(lines.find((t) => t.includes("Alice Rossi"))).toMatch(/\d+ modifich?[ae] · \d\d:\d\d/);

    const panel = facilitator.page.getByRole("region", { name: "Cronologia" });
    await panel.getByLabel("Persona").selectOption({ label: "Alice Rossi" });
    const filtered = await panel.locator(".history-line").allTextContents();
    expect(filtered.length).toBeGreaterThan(0);
    for (const line of filtered) expect(line).toContain("Alice Rossi");
    // A facilitator reads the history but cannot restore.
    expect(await panel.getByRole("button", { name: /Ripristina/ }).count()).toBe(0);
    await panel.getByLabel("Persona").selectOption({ label: "Tutti" });
    await screenshot(facilitator.page, "people-history");
    expect(await seriousViolations(facilitator.page)).toEqual([]);
  });

  test("an admin restores to a moment before the answers: they disappear for everyone", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    await joinByInvite(page, `${server.url}/join?token=${ADMIN_TOKEN}`, "Amministrazione");
    await page.waitForURL(`${server.url}/`);
    await page.goto(`${server.url}/seminari/${SEMINAR}/console`);
    await page.locator('.connection[data-state="online"]').waitFor();
    await historyUntil(page, (texts) => texts.some((t) => t.includes("Alice Rossi")));

    const panel = page.getByRole("region", { name: "Cronologia" });
    const run = panel.locator(".history-run", { hasText: "Francesca Facilitatrice" }).first();
    await run.getByRole("button", { name: /Ripristina a questo momento/ }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByRole("table").waitFor();
    expect(
      await dialog
        .getByRole("row", { name: /^Risposte/ })
        .locator("td")
        .allTextContents(),
    ).toEqual(["0", "2"]);
    await dialog.getByText(/Non si perde nulla/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "Ripristina" }).click();
    await panel.getByText(/Documento ripristinato/).waitFor();

    for (const { page: room } of [alice, bob, carla]) {
      await room.getByRole("tab", { name: /Domande chiave/ }).click();
      await expect
        .poll(() => room.locator(".question-card").first().locator(".answer").count())
        .toBe(0);
    }
    // The restore is itself in the history, as the newest change.
    const lines = await historyUntil(
      page,
      (texts) => texts[0]?.includes("Amministrazione") ?? false,
    );
    expect(lines.length).toBeGreaterThan(3);
    await context.close();
  });
});
