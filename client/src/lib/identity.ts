import { ACTOR_KINDS, isRole, type ActorKind, type Role, type Writer } from "@percorso/schema";
import type { Joined } from "./api.ts";

/**
 * Who this device is (DESIGN.md §4.1): the person the server made when an invite was exchanged
 * at `POST /api/join` — their personal token, user id, anonymous id and the name they joined
 * with. Kept in localStorage, one person per invite, the last one joined being the current one,
 * so a participant who reopens the room (or the same invite link) stays the same person.
 */
export interface Identity {
  /** The personal token; for a page identity, the invite used directly. */
  token: string;
  /** Null for an invite used directly (the projector's link): it reads, never signs. */
  userId: string | null;
  /** The key of the person's votes and the owner of their anonymous answers. */
  anonId: string | null;
  inviteId: string;
  /** The name exactly as the server took it; may be empty when anonymous. */
  name: string;
  actorKind: ActorKind;
  /** Joined as "answer anonymously": answers unsigned, presence shows "anonimo". */
  anonymous: boolean;
  role: Role;
  programmeId: string;
  seminarId: string | null;
  /** Epoch seconds, as in the token. */
  expiresAt: number | null;
  /** Presence colour (carets, avatars). */
  color: string;
  /** False for someone kept in this tab only (signed in without "remember"); else absent. */
  remembered?: false;
}

/** The people this device has joined as, by invite id, and which one is current. */
interface Store {
  current: string | null;
  byInvite: Record<string, Identity>;
}

const KEY = "percorso.people";
/**
 * People kept for this tab only (an admin who signed in without "remember on this device"):
 * the same shape in sessionStorage, gone when the tab closes, read on top of the device's.
 */
const SESSION_KEY = "percorso.people.session";
/** Where the app kept its identity before personal tokens: an invite token and a made-up id. */
const LEGACY_KEY = "percorso.identity";

const PALETTE = ["#0066cc", "#008055", "#a6300e", "#5c2d91", "#995c00", "#00758f", "#b3005e"];

export function colorFor(seed: string): string {
  let hash = 0;
  for (const char of seed) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return PALETTE[hash % PALETTE.length]!;
}

/**
 * The presence colour: from the user id, or for someone anonymous a random one per page load,
 * so not even a colour follows them from one session to the next.
 */
function presenceColor(userId: string, anonymous: boolean): string {
  return colorFor(anonymous ? crypto.randomUUID() : userId);
}

function readFrom(storage: Storage, key: string, remembered: boolean): Store {
  try {
    const raw = JSON.parse(storage.getItem(key) ?? "null") as Partial<Store> | null;
    const byInvite: Record<string, Identity> = {};
    for (const [inviteId, value] of Object.entries(raw?.byInvite ?? {})) {
      const identity = parseIdentity(value);
      if (identity && identity.inviteId === inviteId) {
        byInvite[inviteId] = remembered ? identity : { ...identity, remembered: false };
      }
    }
    const current =
      typeof raw?.current === "string" && raw.current in byInvite ? raw.current : null;
    return { current, byInvite };
  } catch {
    return { current: null, byInvite: {} };
  }
}

/** This tab's storage, if the page has one (not in Node, nor where the browser refuses it). */
function tabStorage(): Storage | null {
  try {
    return typeof sessionStorage === "undefined" ? null : sessionStorage;
  } catch {
    return null;
  }
}

/** The device's people, with this tab's own on top (and current, if it has one). */
function readStore(): Store {
  const device = readFrom(localStorage, KEY, true);
  const session = tabStorage();
  const tab = session
    ? readFrom(session, SESSION_KEY, false)
    : { current: null, byInvite: {} as Record<string, Identity> };
  return {
    current: tab.current ?? device.current,
    byInvite: { ...device.byInvite, ...tab.byInvite },
  };
}

/** Each person goes back where they are kept: the device, or this tab only. */
function writeStore(store: Store): void {
  const device: Store = { current: null, byInvite: {} };
  const tab: Store = { current: null, byInvite: {} };
  for (const [inviteId, identity] of Object.entries(store.byInvite)) {
    const { remembered, ...kept } = identity;
    (remembered === false ? tab : device).byInvite[inviteId] = kept;
  }
  const current = store.current;
  if (current !== null && current in tab.byInvite) tab.current = current;
  // The device keeps its own last person while this tab has one (or has just forgotten it).
  const before = readFrom(localStorage, KEY, true).current;
  device.current =
    current !== null && current in device.byInvite
      ? current
      : before !== null && before in device.byInvite
        ? before
        : null;
  localStorage.setItem(KEY, JSON.stringify(device));
  const session = tabStorage();
  if (session === null) return;
  if (Object.keys(tab.byInvite).length > 0) {
    session.setItem(SESSION_KEY, JSON.stringify(tab));
  } else {
    session.removeItem(SESSION_KEY);
  }
}

function parseIdentity(value: unknown): Identity | null {
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  const text = (key: string) => (typeof v[key] === "string" ? (v[key] as string) : null);
  const token = text("token");
  const userId = text("userId");
  const anonId = text("anonId");
  const inviteId = text("inviteId");
  const programmeId = text("programmeId");
  if (!token || !userId || !anonId || !inviteId || !programmeId || !isRole(v.role)) return null;
  return {
    token,
    userId,
    anonId,
    inviteId,
    name: text("name") ?? "",
    actorKind: actorKindOf(v.actorKind),
    anonymous: v.anonymous === true,
    role: v.role,
    programmeId,
    seminarId: text("seminarId"),
    expiresAt: typeof v.expiresAt === "number" ? v.expiresAt : null,
    color: presenceColor(userId, v.anonymous === true),
  };
}

function actorKindOf(value: unknown): ActorKind {
  return (ACTOR_KINDS as readonly unknown[]).includes(value) ? (value as ActorKind) : "other";
}

/**
 * The person to use on a page: the current one, unless it has no role in `seminarId` and
 * another person this device joined as has (a facilitator who also joined a second seminar).
 */
export function loadIdentity(seminarId?: string): Identity | null {
  const store = readStore();
  const current = store.current === null ? null : (store.byInvite[store.current] ?? null);
  if (seminarId === undefined || current === null) return current;
  const covers = (identity: Identity) =>
    identity.role === "admin" || identity.seminarId === null || identity.seminarId === seminarId;
  if (covers(current)) return current;
  const all = Object.values(store.byInvite);
  return all.find((i) => i.seminarId === seminarId) ?? all.find(covers) ?? current;
}

/**
 * The person to use on a programme's draft: one of the drafting team (a drafter or an admin)
 * if this device joined as one, else the current person if they belong to the programme (they
 * read it), else anyone of the programme this device joined as.
 */
export function loadDraftIdentity(programmeId: string): Identity | null {
  const store = readStore();
  const current = store.current === null ? null : (store.byInvite[store.current] ?? null);
  const all = Object.values(store.byInvite);
  const ofProgramme = (identity: Identity) =>
    identity.role === "admin" || identity.programmeId === programmeId;
  const drafting = (identity: Identity) =>
    ofProgramme(identity) && (identity.role === "drafter" || identity.role === "admin");
  if (current && drafting(current)) return current;
  return (
    all.find(drafting) ??
    (current && ofProgramme(current) ? current : null) ??
    all.find(ofProgramme) ??
    null
  );
}

/**
 * The admin to use on a programme's admin desk: the current person if they are one of its
 * admins (or a global one), else any such admin this device or tab signed in as.
 */
export function loadAdminIdentity(programmeId: string): Identity | null {
  const store = readStore();
  const current = store.current === null ? null : (store.byInvite[store.current] ?? null);
  const admin = (identity: Identity) =>
    identity.role === "admin" &&
    (identity.programmeId === "*" || identity.programmeId === programmeId);
  if (current && admin(current)) return current;
  return Object.values(store.byInvite).find(admin) ?? null;
}

/** The person this device joined as with the invite `inviteId`, if any. */
export function identityForInvite(inviteId: string): Identity | null {
  return readStore().byInvite[inviteId] ?? null;
}

/**
 * Remembers the person `POST /api/join` made, as the current one: on this device, or with
 * `remember: false` in this tab only (an admin on a shared computer).
 */
export function saveIdentity(joined: Joined, options: { remember?: boolean } = {}): Identity {
  const identity: Identity = {
    token: joined.token,
    userId: joined.userId,
    anonId: joined.anonId,
    inviteId: joined.inviteId,
    name: joined.name,
    actorKind: actorKindOf(joined.actorKind),
    anonymous: joined.anonymous,
    role: joined.role,
    programmeId: joined.programmeId,
    seminarId: joined.seminarId,
    expiresAt: joined.expiresAt,
    color: presenceColor(joined.userId, joined.anonymous),
    ...(options.remember === false ? { remembered: false as const } : {}),
  };
  const store = readStore();
  store.byInvite[identity.inviteId] = identity;
  store.current = identity.inviteId;
  writeStore(store);
  localStorage.removeItem(LEGACY_KEY);
  return identity;
}

/** Makes a person this device already is the current one (a returning participant). */
export function resumeIdentity(inviteId: string): Identity | null {
  const store = readStore();
  const identity = store.byInvite[inviteId] ?? null;
  if (identity) writeStore({ ...store, current: inviteId });
  return identity;
}

/** Forgets a person whose token the server no longer takes (a revoked or expired invite). */
export function forgetIdentity(inviteId: string): void {
  const store = readStore();
  delete store.byInvite[inviteId];
  writeStore({
    current: store.current === inviteId ? null : store.current,
    byInvite: store.byInvite,
  });
}

/**
 * What the app before personal tokens remembered: an invite token and the join form's answers.
 * Such a device is sent through the join form again (prefilled) to become a person.
 */
export interface LegacyIdentity {
  token: string;
  name: string;
  actorKind: ActorKind;
  anonymous: boolean;
}

export function loadLegacyIdentity(): LegacyIdentity | null {
  try {
    const value = JSON.parse(localStorage.getItem(LEGACY_KEY) ?? "null") as Record<
      string,
      unknown
    > | null;
    if (!value || typeof value.token !== "string" || value.token === "") return null;
    return {
      token: value.token,
      name: typeof value.name === "string" ? value.name : "",
      actorKind: actorKindOf(value.actorKind),
      anonymous: value.anonymous === true,
    };
  } catch {
    return null;
  }
}

/** Drops the old app's identity (its invite no longer works: nothing to migrate). */
export function forgetLegacyIdentity(): void {
  localStorage.removeItem(LEGACY_KEY);
}

/** The writer the server will see behind this identity with `role` (for the item rules). */
export function writerOf(identity: Identity, role: Role): Writer {
  return {
    role,
    userId: identity.userId,
    anonId: identity.anonId,
    name: identity.name,
    actorKind: identity.actorKind,
  };
}

/**
 * The name this person shows in presence: none when anonymous (the server blanks it anyway),
 * so the presence list can only say "anonimo" and the kind of actor.
 */
export function presenceName(identity: Identity): string {
  return identity.anonymous ? "" : identity.name;
}

/**
 * An identity that lives only in this page, for an invite carried in the URL (the projector's
 * observer link): it must not replace the facilitator's own identity on the same laptop, and
 * with no user id it signs nothing.
 */
export function pageIdentity(token: string, name: string): Identity {
  const seed = `page-${token.slice(-12)}`;
  return {
    token,
    userId: null,
    anonId: null,
    inviteId: seed,
    name,
    actorKind: "other",
    anonymous: false,
    role: "observer",
    programmeId: "",
    seminarId: null,
    expiresAt: null,
    color: colorFor(seed),
  };
}
