import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PercorsoServer } from "../src/app.ts";
import { ADMIN_TOKEN, PROGRAMME, invite, startTestServer, tempDataDir } from "./harness.ts";

describe("REST API (DESIGN.md §5)", () => {
  let data: ReturnType<typeof tempDataDir>;
  let server: PercorsoServer;

  beforeAll(async () => {
    data = tempDataDir();
    server = await startTestServer(data.dir);
  });
  afterAll(async () => {
    await server.stop();
    data.remove();
  });

  const post = (path: string, body: unknown, token?: string) =>
    fetch(`${server.url}${path}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
      },
      body: typeof body === "string" ? body : JSON.stringify(body),
    });

  it("answers health and metrics", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain("percorso_connections");
    expect(metrics).toContain("percorso_persist_seconds");
  });

  it("lists the seeded programme and describes its seven seminars", async () => {
    const list = (await (await fetch(`${server.url}/api/programmes`)).json()) as { id: string }[];
    expect(list.map((p) => p.id)).toEqual([PROGRAMME]);
    const programme = (await (await fetch(`${server.url}/api/programmes/${PROGRAMME}`)).json()) as {
      draftDocument: string;
      seminars: { id: string; number: number; title: string; document: string }[];
    };
    expect(programme.draftDocument).toBe(`draft:${PROGRAMME}`);
    expect(programme.seminars.map((s) => s.number)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(programme.seminars[1]!.title).toMatch(/Economia circolare/);
    expect(programme.seminars[0]!.document).toBe(`seminar:${programme.seminars[0]!.id}`);
  });

  it("404 with an error body for an unknown programme or route", async () => {
    const response = await fetch(`${server.url}/api/programmes/nessuno`);
    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
    expect((await fetch(`${server.url}/api/niente`)).status).toBe(404);
  });

  it("issues an invite with a join URL to an admin", async () => {
    const response = await post(
      "/api/invites",
      { role: "participant", programmeId: PROGRAMME },
      ADMIN_TOKEN,
    );
    expect(response.status).toBe(201);
    const body = (await response.json()) as { token: string; url: string };
    expect(new URL(body.url).searchParams.get("token")).toBe(body.token);
    expect(new URL(body.url).pathname).toBe("/join");
  });

  it("401 without or with a bad bearer token", async () => {
    expect(
      (await post("/api/invites", { role: "participant", programmeId: PROGRAMME })).status,
    ).toBe(401);
    const bad = await post("/api/invites", { role: "participant", programmeId: PROGRAMME }, "nope");
    expect(bad.status).toBe(401);
    expect(await bad.json()).toMatchObject({ error: { code: "unauthorized" } });
  });

  it("400 with field errors for an invalid invite, and for malformed JSON", async () => {
    const invalid = await post(
      "/api/invites",
      { role: "king", programmeId: PROGRAMME },
      ADMIN_TOKEN,
    );
    expect(invalid.status).toBe(400);
    expect(await invalid.json()).toMatchObject({
      error: { code: "invalid_input", details: { role: expect.any(Array) } },
    });
    const malformed = await post("/api/invites", "{not json", ADMIN_TOKEN);
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ error: { code: "invalid_json" } });
  });

  it("lets a facilitator invite to their own seminar only, never as drafter", async () => {
    const programme = (await (await fetch(`${server.url}/api/programmes/${PROGRAMME}`)).json()) as {
      seminars: { id: string }[];
    };
    const [own, other] = programme.seminars.map((s) => s.id) as [string, string];
    const facilitator = await invite(server, { role: "facilitator", seminarId: own });
    expect(
      (
        await post(
          "/api/invites",
          { role: "participant", programmeId: PROGRAMME, seminarId: own },
          facilitator,
        )
      ).status,
    ).toBe(201);
    expect(
      (
        await post(
          "/api/invites",
          { role: "participant", programmeId: PROGRAMME, seminarId: other },
          facilitator,
        )
      ).status,
    ).toBe(403);
    expect(
      (
        await post(
          "/api/invites",
          { role: "drafter", programmeId: PROGRAMME, seminarId: own },
          facilitator,
        )
      ).status,
    ).toBe(403);
    const participant = await invite(server, { role: "participant", seminarId: own });
    expect(
      (
        await post(
          "/api/invites",
          { role: "participant", programmeId: PROGRAMME, seminarId: own },
          participant,
        )
      ).status,
    ).toBe(403);
  });

  it("404 for an invite to an unknown seminar", async () => {
    const response = await post(
      "/api/invites",
      { role: "participant", programmeId: PROGRAMME, seminarId: "s9-nulla" },
      ADMIN_TOKEN,
    );
    expect(response.status).toBe(404);
  });
});
