import { ACTOR_KINDS, type ActorKind } from "@percorso/schema";

/**
 * Who this device is, remembered in localStorage: the invite token, a stable random user id
 * (for votes and authorship), the display name, the kind of actor represented, and whether
 * answers are signed. One identity per browser profile.
 */
export interface Identity {
  token: string;
  userId: string;
  name: string;
  actorKind: ActorKind;
  anonymous: boolean;
  color: string;
}

const KEY = "percorso.identity";

const PALETTE = ["#0066cc", "#008055", "#a6300e", "#5c2d91", "#995c00", "#00758f", "#b3005e"];

export function colorFor(userId: string): string {
  let hash = 0;
  for (const char of userId) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

export function loadIdentity(): Identity | null {
  try {
    const raw = localStorage.getItem(KEY);
    if (!raw) return null;
    const value = JSON.parse(raw) as Partial<Identity>;
    if (typeof value.token !== "string" || typeof value.userId !== "string") return null;
    return {
      token: value.token,
      userId: value.userId,
      name: typeof value.name === "string" ? value.name : "",
      actorKind: (ACTOR_KINDS as readonly unknown[]).includes(value.actorKind)
        ? (value.actorKind as ActorKind)
        : "other",
      anonymous: value.anonymous === true,
      color: colorFor(value.userId),
    };
  } catch {
    return null;
  }
}

export function saveIdentity(
  identity: Omit<Identity, "color" | "userId"> & { userId?: string },
): Identity {
  const userId = identity.userId ?? loadIdentity()?.userId ?? crypto.randomUUID();
  const saved: Identity = { ...identity, userId, color: colorFor(userId) };
  localStorage.setItem(KEY, JSON.stringify(saved));
  return saved;
}

/** The name shown to others: the display name, or a neutral label when anonymous. */
export function publicName(identity: Identity, anonymousLabel: string): string {
  return identity.anonymous || identity.name.trim() === "" ? anonymousLabel : identity.name.trim();
}

/**
 * An identity that lives only in this page, for a token carried in the URL (the projector's
 * observer link): it must not replace the facilitator's own identity on the same laptop.
 */
export function pageIdentity(token: string, name: string): Identity {
  const userId = `page-${token.slice(-12)}`;
  return { token, userId, name, actorKind: "other", anonymous: false, color: colorFor(userId) };
}
