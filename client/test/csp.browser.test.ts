import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Browser, Page } from "playwright-core";
import {
  ADMIN_TOKEN,
  PROGRAMME,
  joinByInvite,
  launchChromium,
  newContext,
  startServer,
  type RunningServer,
} from "./support.ts";

/**
 * The built app under the server's real Content-Security-Policy (issue 12), in Debian's
 * Chromium: every screen runs with the header on and the browser reports no violation —
 * so the policy is neither loosened for the app nor broken by it.
 */
const SEMINAR = "s4-agenda-2030";
let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchChromium()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

/** Records every CSP violation the page reports, from before any script of it runs. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction("__cspViolation", (text: string) => violations.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      const report = (window as unknown as { __cspViolation: (text: string) => void })
        .__cspViolation;
      report(
        `${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}`,
      );
    });
  });
  page.on("console", (message) => {
    if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
  });
  return violations;
}

describe("the Content-Security-Policy", () => {
  test("is sent with the app and strict: no inline scripts, no framing, no referrer", async () => {
    const response = await fetch(`${server.url}/`);
    const csp = response.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get("referrer-policy")).toBe("no-referrer");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
  });

  test("is not violated by the overview, the join page, the room, the console or the projector", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const violations = await watchViolations(page);

    await page.goto(`${server.url}/`);
    await page.getByRole("heading", { level: 1 }).first().waitFor();

    // A facilitator joins, opens the room (the editor, presence, the QR code), then the console.
    await joinByInvite(page, await server.invite("facilitator", SEMINAR), "Francesca");
    // A facilitator lands at the console; the room is one page away.
    await page.waitForURL(`**/seminari/${SEMINAR}/console`);
    await page.goto(`${server.url}/seminari/${SEMINAR}`);
    await page.locator('.connection[data-state="online"]').waitFor();
    await page.getByRole("tab", { name: /Raccomandazioni/ }).click();
    await page.locator(".editor-text").waitFor();
    await page.goto(`${server.url}/seminari/${SEMINAR}/console`);
    await page.locator('.connection[data-state="online"]').waitFor();

    // The projector, on its observer link (QR codes are data: images).
    const projector = await context.newPage();
    const projectorViolations = await watchViolations(projector);
    const observer = await server.invite("observer", SEMINAR);
    await projector.goto(`${observer}&vista=proiettore`);
    await projector.waitForURL(`**/seminari/${SEMINAR}/screen**`);
    await projector.locator("main").waitFor();

    // The admin's pages too.
    await page.goto(`${server.url}/join?token=${ADMIN_TOKEN}`);
    await page.waitForLoadState("networkidle");

    expect(violations).toEqual([]);
    expect(projectorViolations).toEqual([]);

    // And the watch does see one when it happens: an inline script is refused and reported.
    await page.evaluate(() => {
      const script = document.createElement("script");
      script.textContent = "window.__inline = true";
      document.body.append(script);
    });
    await page.waitForFunction(() => true);
    await expect.poll(() => violations.length).toBeGreaterThan(0);
    expect(await page.evaluate(() => "__inline" in window)).toBe(false);
    await context.close();
  });

  test("is not violated by the drafting desk, the conference, Esito, the plenary screen or the admin's form", async () => {
    const context = await newContext(browser);
    const page = await context.newPage();
    const violations = await watchViolations(page);

    // A drafter lands on the desk (the editor with its tables and citations), then the
    // conference as the plenary reads it, then the public log of suggestions.
    await joinByInvite(page, await server.invite("drafter"), "Diana");
    await page.waitForURL(`**/programmi/${PROGRAMME}/bozza`);
    await page.locator('.connection[data-state="online"]').waitFor();
    await page.locator(".draft-text .editor-text").waitFor();
    await page.goto(`${server.url}/programmi/${PROGRAMME}/conferenza`);
    await page.locator('.connection[data-state="online"]').waitFor();
    await page.goto(`${server.url}/programmi/${PROGRAMME}/esito`);
    await page.getByRole("heading", { name: "Esito delle proposte" }).waitFor();

    // The plenary screen, on a programme-wide observer link (its QR code is a data: image).
    const screen = await context.newPage();
    const screenViolations = await watchViolations(screen);
    await screen.goto(`${await server.invite("observer")}&vista=plenaria`);
    await screen.waitForURL(`**/programmi/${PROGRAMME}/plenaria**`);
    await screen.getByText("In attesa della sezione da presentare.").waitFor();

    // The admin's new-programme form.
    await joinByInvite(page, `${server.url}/join?token=${ADMIN_TOKEN}`, "Amministrazione");
    await page.waitForURL(`${server.url}/`);
    await page.getByRole("link", { name: "Nuovo programma" }).click();
    await page.getByRole("heading", { name: "Nuovo programma" }).waitFor();

    expect(violations).toEqual([]);
    expect(screenViolations).toEqual([]);
    await context.close();
  });
});
