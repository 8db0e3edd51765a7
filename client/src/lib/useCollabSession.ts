import { useEffect, useState } from "react";
import type { Role } from "@percorso/schema";
import { CollabSession, type SessionClientIds } from "./collab.ts";
import { presenceName, type Identity } from "./identity.ts";

/**
 * A live collaboration session on one document for this person, made when the document or the
 * token changes and destroyed with the page; the presence (name, colour, actor kind, role)
 * follows the identity without reconnecting. Null until the first render has committed.
 */
export function useCollabSession(
  documentName: string,
  identity: Identity,
  role: Role,
  clientIds: SessionClientIds | null = null,
): CollabSession | null {
  const [session, setSession] = useState<CollabSession | null>(null);
  const name = presenceName(identity);

  useEffect(() => {
    const created = new CollabSession(
      documentName,
      identity.token,
      { name, color: identity.color, actorKind: identity.actorKind, role },
      identity.userId ?? identity.inviteId,
      location,
      clientIds,
    );
    setSession(created);
    return () => created.destroy();
    // Only the document and the token make a new session (the client ids come with the token's
    // context); the presence name follows below, without reconnecting.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [documentName, identity.token]);

  useEffect(() => {
    session?.setUser({ name, color: identity.color, actorKind: identity.actorKind, role });
  }, [session, name, identity.color, identity.actorKind, role]);

  return session;
}
