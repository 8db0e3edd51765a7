import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { PercorsoServer } from "../src/app.ts";
import {
  ADMIN_TOKEN,
  PROGRAMME,
  invite,
  startTestServer,
  syncedClient,
  tempDataDir,
} from "./harness.ts";

describe("what the web app relies on", () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function server(env: Record<string, string> = {}): Promise<PercorsoServer> {
    const data = tempDataDir();
    const started = await startTestServer(data.dir, env);
    cleanups.push(data.remove, () => started.stop());
    return started;
  }

  it("GET /api/me tells the join page who a link is for, 401 for a bad or expired one", async () => {
    const s = await server();
    const token = await invite(s, { role: "participant", seminarId: "s1-governance" });
    const me = await fetch(`${s.url}/api/me`, { headers: { authorization: `Bearer ${token}` } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      role: "participant",
      programmeId: PROGRAMME,
      seminarId: "s1-governance",
    });
    const bad = await fetch(`${s.url}/api/me`, { headers: { authorization: "Bearer nope" } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: { code: "unauthorized" } });
    const short = await invite(s, { role: "observer", expiresInSeconds: 1 });
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const expired = await fetch(`${s.url}/api/me`, {
      headers: { authorization: `Bearer ${short}` },
    });
    expect(expired.status).toBe(401);
  });

  it("reports each seminar's live status in the programme description", async () => {
    const s = await server();
    const describe = async () =>
      (
        (await (await fetch(`${s.url}/api/programmes/${PROGRAMME}`)).json()) as {
          seminars: { id: string; status: string }[];
        }
      ).seminars.find((seminar) => seminar.id === "s2-economia-circolare")?.status;
    expect(await describe()).toBe("scheduled");
    const facilitator = await syncedClient(s, "seminar:s2-economia-circolare", ADMIN_TOKEN);
    cleanups.push(() => facilitator.destroy());
    facilitator.doc.getMap("session").set("status", "live");
    let status: string | undefined;
    for (let i = 0; i < 100 && status !== "live"; i++) {
      status = await describe();
      if (status !== "live") await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(status).toBe("live");
  });

  it("serves the built app for client routes, and says how to build it when missing", async () => {
    const missing = await server({ CLIENT_DIR: join(tempDataDir().dir, "nothing") });
    const page = await fetch(`${missing.url}/seminari/s1-governance`);
    expect(page.status).toBe(503);
    expect(await page.text()).toContain("npm run build");
    expect((await fetch(`${missing.url}/api/programmes`)).status).toBe(200);

    const dist = tempDataDir();
    cleanups.push(dist.remove);
    mkdirSync(join(dist.dir, "assets"));
    writeFileSync(join(dist.dir, "index.html"), "<!doctype html><title>Percorso</title>");
    writeFileSync(join(dist.dir, "assets", "app-abc123.js"), "console.log(1)");
    const built = await server({ CLIENT_DIR: dist.dir });
    const route = await fetch(`${built.url}/join?token=x`);
    expect(route.status).toBe(200);
    expect(await route.text()).toContain("<title>Percorso</title>");
    const asset = await fetch(`${built.url}/assets/app-abc123.js`);
    expect(asset.headers.get("cache-control")).toContain("immutable");
    expect((await fetch(`${built.url}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${built.url}/api/nothing`)).status).toBe(404);
  });
});
