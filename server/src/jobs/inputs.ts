import { italianDate } from "@percorso/schema";
import type { CatalogueStore } from "../storage/storage.ts";
import type { TokenClaims } from "../tokens.ts";

/**
 * What the main thread gathers for a job, reading and decoding nothing large: people's facts
 * from storage, whose a job is (for the per-token queue), the day a "now" export names.
 */

/** The people's kinds of actor by anonymous id (the records `People` keeps, read fresh). */
export async function actorKindEntries(store: CatalogueStore): Promise<[string, string][]> {
  // The same records `People.refresh` reads: a person made on another process counts too.
  const records = (await store.listRecords("person")) as {
    anonId?: unknown;
    actorKind?: unknown;
  }[];
  return records.flatMap((record) =>
    typeof record.anonId === "string" && typeof record.actorKind === "string"
      ? [[record.anonId, record.actorKind] as [string, string]]
      : [],
  );
}

/** Whose queue a job waits in: the person's, or that of the token used directly. */
export const jobOwner = (claims: TokenClaims): string => claims.sub ?? `token:${claims.jti}`;

/** The day a file made now is dated with ("Testo al …", "Esportato il …"): part of its key. */
export const today = (now = Date.now()): string => italianDate(now);
