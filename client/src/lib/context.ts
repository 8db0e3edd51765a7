import { ApiError, api, type Me, type ProgrammeDescription } from "./api.ts";

const CACHE = "percorso.room-cache";

/** What a page of the programme needs from REST: who the token is, and the programme. */
export interface PageContext {
  me: Me;
  programme: ProgrammeDescription;
}

/**
 * Loads the page's context, cached so a room or the draft reloaded without network still
 * opens. `programmeId` is the page's programme; without it, the token's own (an admin's `*`
 * opens the seeded programme).
 */
export async function loadContext(token: string, programmeId?: string): Promise<PageContext> {
  const cached = JSON.parse(localStorage.getItem(CACHE) ?? "null") as
    (PageContext & { token: string }) | null;
  try {
    const me = await api.me(token);
    const id = programmeId ?? (me.programmeId === "*" ? "toscana-2021" : me.programmeId);
    const programme = await api.programme(id);
    localStorage.setItem(CACHE, JSON.stringify({ token, me, programme }));
    return { me, programme };
  } catch (error) {
    const fits =
      cached?.token === token && (programmeId === undefined || cached.programme.id === programmeId);
    // Offline: the cached client ids may be another tab's by now, and two tabs must never
    // write under one client id; the session makes its own instead.
    if (error instanceof ApiError && error.status === 0 && fits) {
      return { ...cached, me: { ...cached.me, clientIds: null } };
    }
    throw error;
  }
}
