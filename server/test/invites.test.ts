import { describe, expect, it } from "vitest";
import type { InviteRecord } from "../src/invites.ts";
import {
  ADMIN_TOKEN,
  PROGRAMME,
  api,
  documentUrl,
  inviteRecord,
  rawSocket,
  useTestServer,
  waitFor,
} from "./harness.ts";

const OWN = "s2-economia-circolare";
const OTHER = "s3-crisi-umanitarie";

/** An invite as `GET /api/invites` lists it: what it is, who made it, no token or link. */
type ListedInvite = Pick<
  InviteRecord,
  "id" | "role" | "programmeId" | "seminarId" | "expiresAt"
> & {
  createdBy: { id: string; name: string } | null;
  createdAt: number;
  revokedAt: number | null;
  joined: number;
};

describe("invite registry and revocation", () => {
  const server = useTestServer();

  const list = async (query: string, token = ADMIN_TOKEN) => {
    const response = await api(server, "GET", `/api/invites?${query}`, { token });
    expect(response.status, await response.clone().text()).toBe(200);
    return (await response.json()) as ListedInvite[];
  };
  const revoke = (id: string, token = ADMIN_TOKEN) =>
    api(server, "DELETE", `/api/invites/${encodeURIComponent(id)}`, { token });
  const me = (token: string) => api(server, "GET", "/api/me", { token });

  it("POST /api/invites returns the invite's id with its token and join link", async () => {
    const created = await inviteRecord(server, {
      role: "participant",
      seminarId: OWN,
      expiresInSeconds: 3600,
    });
    expect(created).toMatchObject({
      id: expect.any(String),
      token: expect.any(String),
      role: "participant",
      programmeId: PROGRAMME,
      seminarId: OWN,
      expiresAt: expect.any(Number),
      revokedAt: null,
    });
    expect(new URL(created.url).searchParams.get("token")).toBe(created.token);
  });

  it("lists a programme's invites newest first for an admin, filtered by seminar", async () => {
    const first = await inviteRecord(server, { role: "participant", seminarId: OWN });
    const second = await inviteRecord(server, { role: "observer", seminarId: OTHER });
    const third = await inviteRecord(server, { role: "drafter" });
    const all = await list(`programmeId=${PROGRAMME}`);
    expect(all.map((i) => i.id)).toEqual([third.id, second.id, first.id]);
    expect(all[2]).toEqual({
      id: first.id,
      role: "participant",
      programmeId: PROGRAMME,
      seminarId: OWN,
      createdBy: { id: "admin", name: "admin" },
      createdAt: expect.any(Number),
      expiresAt: null,
      revokedAt: null,
      joined: 0,
    });
    expect((await list(`programmeId=${PROGRAMME}&seminarId=${OWN}`)).map((i) => i.id)).toEqual([
      first.id,
    ]);
  });

  it("a short link /i/<code> redirects to the full join link, and to the invalid notice once revoked", async () => {
    const created = await inviteRecord(server, { role: "participant", seminarId: OWN });
    expect(created.shortUrl).toMatch(new RegExp(`^${server.url}/i/[A-Za-z0-9_-]{22}$`));
    const follow = async () =>
      fetch(created.shortUrl, { redirect: "manual" }).then((r) => ({
        status: r.status,
        location: r.headers.get("location"),
      }));
    const before = await follow();
    expect(before.status).toBe(302);
    expect(new URL(before.location!, server.url).searchParams.get("token")).toBe(created.token);

    expect((await revoke(created.id)).status).toBe(204);
    expect(await follow()).toEqual({ status: 302, location: "/join?invalid=1" });
    expect(
      (await fetch(`${server.url}/i/unknown-id`, { redirect: "manual" })).headers.get("location"),
    ).toBe("/join?invalid=1");
  });

  it("lets a facilitator list only their own seminar's participant and observer invites", async () => {
    const facilitator = await inviteRecord(server, { role: "facilitator", seminarId: OWN });
    const own = await inviteRecord(
      server,
      { role: "participant", seminarId: OWN },
      facilitator.token,
    );
    await inviteRecord(server, { role: "participant", seminarId: OTHER });
    const listed = await list(`programmeId=${PROGRAMME}&seminarId=${OWN}`, facilitator.token);
    // Not the facilitator invites of their seminar (staff of their rank: the table's).
    expect(listed.map((i) => i.id)).toEqual([own.id]);
    expect(listed[0]!.createdBy).toEqual({ id: `invite:${facilitator.id}`, name: "" });

    const forbiddenQueries = [
      `programmeId=${PROGRAMME}`,
      `programmeId=${PROGRAMME}&seminarId=${OTHER}`,
    ];
    for (const query of forbiddenQueries) {
      const response = await api(server, "GET", `/api/invites?${query}`, {
        token: facilitator.token,
      });
      expect(response.status, query).toBe(403);
    }
    const participant = await inviteRecord(server, { role: "participant", seminarId: OWN });
    const refused = await api(
      server,
      "GET",
      `/api/invites?programmeId=${PROGRAMME}&seminarId=${OWN}`,
      {
        token: participant.token,
      },
    );
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: "forbidden" } });
  });

  it("400 for a list without a programme, 404 for an unknown one, 401 without a token", async () => {
    const missing = await api(server, "GET", "/api/invites", { token: ADMIN_TOKEN });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({
      error: { code: "invalid_input", details: { programmeId: expect.any(Array) } },
    });
    expect(
      (await api(server, "GET", "/api/invites?programmeId=nessuno", { token: ADMIN_TOKEN })).status,
    ).toBe(404);
    expect((await api(server, "GET", `/api/invites?programmeId=${PROGRAMME}`)).status).toBe(401);
  });

  it("a revoked invite gets 401 on REST, saying the link was revoked, and shows revokedAt", async () => {
    const created = await inviteRecord(server, { role: "participant", seminarId: OWN });
    expect((await me(created.token)).status).toBe(200);
    expect((await revoke(created.id)).status).toBe(204);
    const refused = await me(created.token);
    expect(refused.status).toBe(401);
    const body = (await refused.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe("unauthorized");
    expect(body.error.message).toMatch(/revoked/);
    const [listed] = await list(`programmeId=${PROGRAMME}&seminarId=${OWN}`);
    expect(listed).toMatchObject({ id: created.id, revokedAt: expect.any(Number) });
    // Revoking again is harmless.
    expect((await revoke(created.id)).status).toBe(204);
  });

  it("closes the open websockets of a revoked invite with 4401 and refuses new ones", async () => {
    const revoked = await inviteRecord(server, { role: "participant", seminarId: OWN });
    const kept = await inviteRecord(server, { role: "participant", seminarId: OWN });
    const alice = await server.connect(`seminar:${OWN}`, revoked.token);
    const onDraft = await server.connect(`draft:${PROGRAMME}`, revoked.token);
    const bruno = await server.connect(`seminar:${OWN}`, kept.token);

    expect((await revoke(revoked.id)).status).toBe(204);
    await waitFor(
      () => alice.closes.length > 0 && onDraft.closes.length > 0,
      "the revoked sockets to close",
    );
    expect(alice.closes[0]).toEqual({ code: 4401, reason: "unauthorized" });
    expect(onDraft.closes[0]).toEqual({ code: 4401, reason: "unauthorized" });

    const { closed } = await rawSocket(documentUrl(server, `seminar:${OWN}`, revoked.token));
    expect(await closed).toEqual({ code: 4401, reason: "unauthorized" });
    expect(bruno.closes).toEqual([]);
    expect(bruno.provider.wsconnected).toBe(true);
  });

  it("lets a facilitator revoke invites of their own seminar only; 404 for an unknown id", async () => {
    const facilitator = await inviteRecord(server, { role: "facilitator", seminarId: OWN });
    const own = await inviteRecord(server, { role: "participant", seminarId: OWN });
    const other = await inviteRecord(server, { role: "participant", seminarId: OTHER });
    const programmeWide = await inviteRecord(server, { role: "drafter" });
    expect((await revoke(other.id, facilitator.token)).status).toBe(403);
    expect((await revoke(programmeWide.id, facilitator.token)).status).toBe(403);
    expect((await revoke(own.id, own.token)).status).toBe(403);
    expect((await revoke(own.id, facilitator.token)).status).toBe(204);
    expect((await me(own.token)).status).toBe(401);
    expect((await me(other.token)).status).toBe(200);
    const unknown = await revoke("nessuno");
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ error: { code: "not_found" } });
  });

  it("ADMIN_TOKEN is not an invite and cannot be revoked", async () => {
    expect((await revoke("admin-token")).status).toBe(404);
    expect((await revoke(ADMIN_TOKEN)).status).toBe(404);
    expect((await me(ADMIN_TOKEN)).status).toBe(200);
  });

  it("keeps revocations and the invite list across a restart", async () => {
    const revoked = await inviteRecord(server, { role: "participant", seminarId: OWN });
    const kept = await inviteRecord(server, { role: "participant", seminarId: OWN });
    expect((await revoke(revoked.id)).status).toBe(204);

    await server.restart();
    expect((await me(revoked.token)).status).toBe(401);
    expect((await me(kept.token)).status).toBe(200);
    const { closed } = await rawSocket(documentUrl(server, `seminar:${OWN}`, revoked.token));
    expect((await closed).code).toBe(4401);
    const listed = await list(`programmeId=${PROGRAMME}&seminarId=${OWN}`);
    expect(listed.map((i) => [i.id, i.revokedAt === null])).toEqual([
      [kept.id, true],
      [revoked.id, false],
    ]);
    expect(Object.keys(listed[0]!)).not.toContain("url");
  });
});
