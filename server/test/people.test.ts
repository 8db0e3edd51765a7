import { describe, expect, it } from "vitest";
import {
  ADMIN_TOKEN,
  api,
  expectClosed,
  inviteRecord,
  joinAs,
  useTestServer,
  waitFor,
} from "./harness.ts";

const SEMINAR_ID = "s5-co-sviluppo";
const SEMINAR = `seminar:${SEMINAR_ID}`;

/** Personal identities (DESIGN.md §4.1): an invite is how people arrive, not who they are. */
describe("POST /api/join and personal tokens", () => {
  const server = useTestServer();
  const participantInvite = () =>
    inviteRecord(server, { role: "participant", seminarId: SEMINAR_ID });

  it("makes two people of one invite link, each with their own ids", async () => {
    const link = await participantInvite();
    const ada = await joinAs(server, link.token, { name: "Ada", actorKind: "ngo" });
    const bruno = await joinAs(server, link.token, { name: "Bruno", actorKind: "university" });
    expect(ada.userId).not.toBe(bruno.userId);
    expect(ada.anonId).not.toBe(bruno.anonId);
    expect(ada.anonId).not.toContain(ada.userId);
    expect(ada).toMatchObject({
      role: "participant",
      programmeId: "toscana-2021",
      seminarId: SEMINAR_ID,
      inviteId: link.id,
      name: "Ada",
    });
    const me = await (await api(server, "GET", "/api/me", { token: ada.token })).json();
    expect(me).toMatchObject({
      userId: ada.userId,
      anonId: ada.anonId,
      name: "Ada",
      actorKind: "ngo",
      anonymous: false,
      inviteId: link.id,
      role: "participant",
    });
    const direct = await (await api(server, "GET", "/api/me", { token: link.token })).json();
    expect(direct).toMatchObject({ userId: null, anonId: null, inviteId: link.id });
  });

  it("keeps a person across a restart, with the same anonymous id", async () => {
    const ada = await joinAs(server, (await participantInvite()).token, { name: "Ada" });
    await server.restart();
    const me = await (await api(server, "GET", "/api/me", { token: ada.token })).json();
    expect(me).toMatchObject({ userId: ada.userId, anonId: ada.anonId, name: "Ada" });
  });

  it("asks for a name unless anonymous, and refuses bad invites and personal tokens", async () => {
    const link = await participantInvite();
    const nameless = await api(server, "POST", "/api/join", { token: link.token, body: {} });
    expect(nameless.status).toBe(400);
    const failure = (await nameless.json()) as { error: { details: Record<string, string[]> } };
    expect(failure.error.details.name).toBeDefined();
    const anonymous = await joinAs(server, link.token, { name: "", anonymous: true });
    expect(anonymous).toMatchObject({ name: "", anonymous: true });

    const wrongKind = await api(server, "POST", "/api/join", {
      token: link.token,
      body: { name: "X", actorKind: "alien" },
    });
    expect(wrongKind.status).toBe(400);
    const again = await api(server, "POST", "/api/join", {
      token: anonymous.token,
      body: { name: "Y" },
    });
    expect(again.status).toBe(400);
    const forged = await api(server, "POST", "/api/join", { token: "nope", body: { name: "Z" } });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
  });

  it("lets only participants and observers join anonymously: staff sign what they do (the door of their role)", async () => {
    for (const grant of [
      { role: "drafter" },
      { role: "facilitator", seminarId: SEMINAR_ID },
      { role: "admin" },
    ] as const) {
      const link = await inviteRecord(server, grant);
      const refused = await api(server, "POST", "/api/join", {
        token: link.token,
        body: { name: "Dora", anonymous: true },
      });
      expect(refused.status).toBe(400);
      const failure = (await refused.json()) as { error: { details: Record<string, string[]> } };
      expect(failure.error.details.anonymous).toBeDefined();
      expect(await joinAs(server, link.token, { name: "Dora" })).toMatchObject({
        anonymous: false,
      });
    }
    for (const grant of [
      { role: "participant" },
      { role: "observer", seminarId: SEMINAR_ID },
    ] as const) {
      const link = await inviteRecord(server, grant);
      expect(await joinAs(server, link.token, { name: "", anonymous: true })).toMatchObject({
        anonymous: true,
      });
    }
  });

  it("revokes every personal token made from a revoked invite: REST 401, sockets 4401 at once", async () => {
    const link = await participantInvite();
    const ada = await joinAs(server, link.token, { name: "Ada" });
    const client = await server.connect(SEMINAR, ada.token);
    const revoked = await api(server, "DELETE", `/api/invites/${link.id}`, { token: ADMIN_TOKEN });
    expect(revoked.status).toBe(204);
    await expectClosed(client, { code: 4401, reason: "unauthorized" });
    expect((await api(server, "GET", "/api/me", { token: ada.token })).status).toBe(401);
    const late = await api(server, "POST", "/api/join", { token: link.token, body: { name: "B" } });
    expect(late.status).toBe(401);
    await waitFor(() => client.closes.length === 1, "one close only");
  });

  it("gives a personal token the invite's expiry", async () => {
    const link = await inviteRecord(server, {
      role: "participant",
      seminarId: SEMINAR_ID,
      expiresInSeconds: 3600,
    });
    const ada = await joinAs(server, link.token, { name: "Ada" });
    const me = (await (await api(server, "GET", "/api/me", { token: link.token })).json()) as {
      expiresAt: number;
    };
    expect((ada as unknown as { expiresAt: number }).expiresAt).toBe(me.expiresAt);
  });
});
