import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import {
  ADMIN_TOKEN,
  DESKTOP,
  PHONE,
  PROGRAMME,
  joinByInvite,
  launchChromium,
  newContext,
  screenshot,
  seriousViolations,
  startServer,
  type RunningServer,
} from "./support.ts";

/**
 * The admin's desk (issue 22) in Debian's Chromium against the real server: a new admin opens
 * the admin link, signs in, lands on the programme's desk and, with no API call, makes the
 * first invite of each role — a facilitator and participants for seminar 2, a drafter, the
 * conference's participants, an observer — sees each listed (where, joined 0), watches joined
 * become 1 when someone uses a link, and revokes one after a question naming it. At 1280 and
 * at 360 px, axe-clean, no horizontal overflow; the sign-out forgets the admin.
 */
const SEMINAR = "s2-economia-circolare";
const DESK = `/programmi/${PROGRAMME}/admin`;
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  server = await startServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function noHorizontalOverflow(page: Page): Promise<void> {
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  expect(scroll).toBeLessThanOrEqual(inner);
}

/**
 * Opens the admin link (or, `paste`, the bare page, pasting ADMIN_TOKEN as its README says) and
 * signs in; `remember: false` keeps the admin in this tab only.
 */
async function signIn(page: Page, name: string, remember = true, paste = false): Promise<void> {
  if (paste) {
    await page.goto(`${server.url}/admin/accesso`);
    await page.getByLabel("Link o codice amministratore").fill(ADMIN_TOKEN);
    await page.getByRole("button", { name: "Verifica" }).click();
  } else {
    await page.goto(`${server.url}/admin/accesso?token=${ADMIN_TOKEN}`);
  }
  await page.getByRole("heading", { name: "Accesso amministratore" }).waitFor();
  await page.getByLabel("Il tuo nome").fill(name);
  const box = page.getByLabel("Ricorda l'accesso su questo dispositivo");
  expect(await box.isChecked()).toBe(true);
  if (!remember) await box.uncheck();
  await page.getByRole("button", { name: "Accedi" }).click();
  await page.waitForURL(`**${DESK}`);
  await page.getByRole("heading", { name: "Persone e inviti" }).waitFor();
}

/** Makes an invite on the desk and returns its link, shown once with its QR code. */
async function createInvite(page: Page, where: string, role: string): Promise<string> {
  await page.getByLabel("Dove").selectOption({ label: where });
  await page.getByLabel("Ruolo").selectOption({ label: role });
  await page.getByRole("button", { name: "Crea un nuovo link" }).click();
  const link = page.getByLabel(`Link appena creato come ${role}`);
  await link.waitFor();
  await page.getByRole("img", { name: `Codice QR del link appena creato come ${role}` }).waitFor();
  return link.inputValue();
}

/** The desk's invite rows as [role, where, created by, joined, revoked?]. */
async function rows(page: Page): Promise<string[][]> {
  return page.locator("tr[data-invite]").evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll("td")].map((td) => td.textContent?.trim() ?? "");
      return [cells[0]!, cells[1]!, cells[2]!, cells[4]!, cells[3] === "Revocato" ? "R" : ""];
    }),
  );
}

const optionsOf = (page: Page, label: string) =>
  page
    .getByLabel(label)
    .locator("option")
    .evaluateAll((options) => options.map((o) => o.textContent ?? ""));

describe("the admin's desk", () => {
  test("a new admin signs in from the admin link and invites every role from the desk (1280 px)", async () => {
    const context = await newContext(browser, DESKTOP);
    const page = await context.newPage();

    // The admin link's own page: what the link is, the name, remember on this device.
    await page.goto(`${server.url}/admin/accesso?token=${ADMIN_TOKEN}`);
    await page.getByRole("heading", { name: "Accesso amministratore" }).waitFor();
    await page.getByText(/dà pieno accesso a tutti i programmi/).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    await signIn(page, "Giulia Ferri");

    // Everything of the programme one click away.
    const seminars = page.locator("li[data-seminar]");
    expect(await seminars.count()).toBe(7);
    await page.getByRole("link", { name: /^Stanza del seminario 2:/ }).waitFor();
    expect(
      await page.getByRole("link", { name: /^Console del seminario 2:/ }).getAttribute("href"),
    ).toBe(`/seminari/${SEMINAR}/console`);
    await seminars.first().getByText("In programma").waitFor();
    for (const [name, href] of [
      ["Scrivania di redazione", `/programmi/${PROGRAMME}/bozza`],
      ["Conferenza", `/programmi/${PROGRAMME}/conferenza`],
      ["Esito delle proposte", `/programmi/${PROGRAMME}/esito`],
    ] as const) {
      expect(await page.getByRole("link", { name, exact: true }).getAttribute("href")).toBe(href);
    }
    await page.getByText("Nessun invito ancora per questo programma").waitFor();
    // The header says who can leave.
    await page.getByRole("button", { name: /^Esci/ }).waitFor();

    // Each role only where the staff table lets it point: no drafter or admin of one seminar.
    expect(await optionsOf(page, "Ruolo")).toEqual([
      "amministratore",
      "facilitatore",
      "redattore",
      "partecipante",
      "osservatore",
    ]);
    const seminar2 = await page
      .getByLabel("Dove")
      .locator("option", { hasText: /^Seminario 2:/ })
      .textContent();
    await page.getByLabel("Dove").selectOption({ label: seminar2! });
    expect(await optionsOf(page, "Ruolo")).toEqual(["facilitatore", "partecipante", "osservatore"]);
    const links: Record<string, string> = {};
    links.facilitator = await createInvite(page, seminar2!, "facilitatore");
    links.participant = await createInvite(page, seminar2!, "partecipante");
    links.drafter = await createInvite(page, "Tutto il programma", "redattore");
    links.conference = await createInvite(page, "Tutto il programma", "partecipante");
    links.observer = await createInvite(page, "Tutto il programma", "osservatore");
    // Each a new link (short /i/ links), never one shown twice.
    expect(new Set(Object.values(links)).size).toBe(5);
    for (const link of Object.values(links)) expect(link).toMatch(/\/i\/[A-Za-z0-9_-]+$/);

    await expect
      .poll(() => rows(page))
      .toEqual(
        expect.arrayContaining([
          ["facilitatore", "Seminario 2", "Giulia Ferri", "0", ""],
          ["partecipante", "Seminario 2", "Giulia Ferri", "0", ""],
          ["redattore", "Tutto il programma", "Giulia Ferri", "0", ""],
          ["partecipante", "Conferenza (tutto il programma)", "Giulia Ferri", "0", ""],
          ["osservatore", "Conferenza (tutto il programma)", "Giulia Ferri", "0", ""],
        ]),
      );
    expect(await rows(page)).toHaveLength(5);
    await noHorizontalOverflow(page);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "admin-desk-1280");

    // Someone opens the seminar's participant link in their own browser and joins.
    const other = await newContext(browser, DESKTOP);
    const guest = await other.newPage();
    await joinByInvite(guest, links.participant, "Marco Neri");
    await guest.waitForURL(`**/seminari/${SEMINAR}`);
    // A participant is no admin: the desk is not theirs.
    await guest.goto(`${server.url}${DESK}`);
    await guest
      .getByRole("heading", { name: "Solo per gli amministratori del programma" })
      .waitFor();
    await other.close();

    // Back on the desk (remembered on this device): joined 1.
    await page.reload();
    await expect
      .poll(() => rows(page))
      .toEqual(expect.arrayContaining([["partecipante", "Seminario 2", "Giulia Ferri", "1", ""]]));

    // Revoking asks first, naming the role and where; it cannot be undone.
    const observerRow = page
      .locator("tr[data-invite]")
      .filter({ hasText: "osservatore" })
      .filter({ hasText: "Conferenza" });
    let asked = "";
    page.once("dialog", (dialog) => {
      asked = dialog.message();
      void dialog.dismiss();
    });
    await observerRow.getByRole("button", { name: "Revoca" }).click();
    expect(asked).toContain("osservatore (Conferenza (tutto il programma))");
    expect(asked).toContain("non si può annullare");
    expect(await observerRow.getByRole("button", { name: "Revoca" }).count()).toBe(1);
    page.once("dialog", (dialog) => void dialog.accept());
    await observerRow.getByRole("button", { name: "Revoca" }).click();
    await observerRow.getByText("Revocato").waitFor();

    // The server agrees: that invite, and only it, is revoked.
    const listed = (await (
      await fetch(`${server.url}/api/invites?programmeId=${PROGRAMME}`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
      })
    ).json()) as { role: string; seminarId: string | null; revokedAt: number | null }[];
    expect(listed.filter((i) => i.revokedAt !== null).map((i) => [i.role, i.seminarId])).toEqual([
      ["observer", null],
    ]);

    // The desk is one click from the overview and from /admin.
    await page.goto(`${server.url}/`);
    await page.getByRole("link", { name: "Scrivania dell'amministratore" }).click();
    await page.waitForURL(`**${DESK}`);
    await page.goto(`${server.url}/admin`);
    await page.getByRole("link", { name: /^Scrivania dell'amministratore: / }).click();
    await page.waitForURL(`**${DESK}`);
    await context.close();
  });

  test("on a 360 px phone: a tab-only sign-in, the desk within the width, and Esci", async () => {
    const context = await newContext(browser, PHONE);
    const page = await context.newPage();
    await signIn(page, "Paolo Conti", false, true);
    // Kept for this tab only: nothing of the admin in the device's storage.
    const stored = await page.evaluate(() => ({
      device: localStorage.getItem("percorso.people") ?? "",
      tab: sessionStorage.getItem("percorso.people.session") ?? "",
    }));
    expect(stored.device).not.toContain("Paolo Conti");
    expect(stored.tab).toContain("Paolo Conti");

    await noHorizontalOverflow(page);
    // An admin of this programme: their link opens the admin sign-in, naming the programme.
    const adminLink = await createInvite(page, "Tutto il programma", "amministratore");
    expect(adminLink).toContain("/admin/accesso?token=");
    const other = await newContext(browser, PHONE);
    const colleague = await other.newPage();
    await colleague.goto(adminLink);
    await colleague.getByText(/dà pieno accesso al programma «/).waitFor();
    await other.close();

    await createInvite(page, "Tutto il programma", "redattore");
    await noHorizontalOverflow(page);
    expect(await seriousViolations(page)).toEqual([]);
    await screenshot(page, "admin-desk-360");

    // Esci asks, then forgets the admin here: the desk asks for the admin link again.
    let asked = "";
    page.once("dialog", (dialog) => {
      asked = dialog.message();
      void dialog.accept();
    });
    await page.getByRole("button", { name: /^Esci/ }).click();
    expect(asked).toContain("dimenticherà l'accesso amministratore");
    await page.waitForURL(`${server.url}/`);
    expect(await page.getByRole("button", { name: /^Esci/ }).count()).toBe(0);
    await page.goto(`${server.url}${DESK}`);
    await page.getByRole("link", { name: "Accesso amministratore" }).waitFor();
    await context.close();
  });
});
