import type * as Y from "yjs";

/**
 * The plenary screen's join link, beside the presented section in the draft's `plenary` root
 * (drafters write it): the participants' short invite link the screen shows as a QR code.
 * Belongs with `spotlightSection` in the schema package; kept here until it moves there.
 */
const JOIN_URL = "joinUrl";

export function readPlenaryJoinUrl(doc: Y.Doc): string | null {
  const value = doc.getMap<unknown>("plenary").get(JOIN_URL);
  return typeof value === "string" && value !== "" ? value : null;
}

export function setPlenaryJoinUrl(doc: Y.Doc, url: string | null): void {
  doc.transact(() => doc.getMap<unknown>("plenary").set(JOIN_URL, url));
}
