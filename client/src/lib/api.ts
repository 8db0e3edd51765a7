import {
  effectiveRole,
  type ActorKind,
  type Programme,
  type Role,
  type SeminarStatus,
} from "@percorso/schema";

/** The REST API of DESIGN.md §5, typed for the app. */
export interface SeminarSummary {
  id: string;
  number: number;
  title: string;
  date: string;
  document: string;
  status: SeminarStatus;
}

export type ProgrammeDescription = Omit<Programme, "seminars"> & {
  document: string;
  draftDocument: string;
  seminars: SeminarSummary[];
};

/** Who a token is (`GET /api/me`). `userId` is null for an invite used directly. */
export interface Me {
  role: Role;
  programmeId: string;
  seminarId: string | null;
  expiresAt: number | null;
  inviteId: string;
  userId: string | null;
  anonId: string | null;
  name: string | null;
  actorKind: string | null;
  anonymous: boolean;
}

export interface JoinRequest {
  name: string;
  actorKind?: ActorKind;
  anonymous?: boolean;
}

/** The person `POST /api/join` made from an invite, with their personal token (§4.1). */
export interface Joined {
  token: string;
  userId: string;
  anonId: string;
  role: Role;
  programmeId: string;
  seminarId: string | null;
  /** Epoch seconds. */
  expiresAt: number | null;
  inviteId: string;
  name: string;
  actorKind: ActorKind;
  anonymous: boolean;
}

/** One stored update of a document, as `GET /api/documents/:name/history` lists it. */
export interface HistoryEntry {
  seq: number;
  /** Epoch ms; 0 for what was stored before the history began. */
  at: number;
  /** Null before the history began, and for anonymous items shown to non-admins. */
  userId: string | null;
  name: string;
  role: string;
  anonymous: boolean;
  bytes: number;
}

export interface HistoryQuery {
  from?: number;
  to?: number;
  userId?: string;
  limit?: number;
}

/** A document as it was at a moment (`GET /api/documents/:name/state`). */
export interface DocumentState {
  at: number;
  seq: number;
  /** Each root as JSON; XML fragments (the recommendations) as an XML string. */
  roots: Record<string, unknown>;
  /** The plain text of each top-level block of each XML root, for previews. */
  text: Record<string, string[]>;
}

/** Whom a Yjs client id of a document belongs to (`GET /api/documents/:name/authors`). */
export interface DocumentAuthor {
  clientId: number;
  /** Empty when the person is anonymous. */
  name: string;
  anonymous: boolean;
  /** Stable per person across their client ids: one person, one colour. */
  key: string;
}

export interface InviteRequest {
  role: Role;
  programmeId: string;
  seminarId?: string;
  expiresInSeconds?: number;
}

/** An invite as `GET /api/invites` lists it. Times are epoch seconds, as in the token. */
export interface InviteRecord {
  id: string;
  role: Role;
  programmeId: string;
  seminarId: string | null;
  url: string;
  /** `/i/<id>`: a short link to the same invite, for QR codes and reading aloud. */
  shortUrl: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
}

/** What `POST /api/invites` answers: the record and its token. */
export type Invite = InviteRecord & { token: string };

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  /** Field errors of a 400 `invalid_input`: field path → messages. */
  readonly details: Record<string, string[]>;
  constructor(
    status: number,
    code: string,
    message: string,
    details: Record<string, string[]> = {},
  ) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

async function send(
  path: string,
  token: string | undefined,
  method: string,
  body?: unknown,
): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch {
    throw new ApiError(0, "network", "network error");
  }
  if (!response.ok) {
    const failure = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string; details?: Record<string, string[]> };
    } | null;
    throw new ApiError(
      response.status,
      failure?.error?.code ?? "http_error",
      failure?.error?.message ?? response.statusText,
      failure?.error?.details ?? {},
    );
  }
  return response;
}

async function request<T>(path: string, token?: string, body?: unknown): Promise<T> {
  const response = await send(path, token, body === undefined ? "GET" : "POST", body);
  return (await response.json()) as T;
}

export const api = {
  programmes: () => request<{ id: string; title: string }[]>("/api/programmes"),
  programme: (id: string) =>
    request<ProgrammeDescription>(`/api/programmes/${encodeURIComponent(id)}`),
  me: (token: string) => request<Me>("/api/me", token),
  /** Exchanges an invite for a person of one's own (DESIGN.md §4.1). */
  join: (inviteToken: string, body: JoinRequest) => request<Joined>("/api/join", inviteToken, body),
  history: (token: string, documentName: string, query: HistoryQuery = {}) =>
    request<HistoryEntry[]>(
      `${documentPath(documentName)}/history${queryString({ ...query })}`,
      token,
    ),
  documentState: (token: string, documentName: string, at: number) =>
    request<DocumentState>(`${documentPath(documentName)}/state${queryString({ at })}`, token),
  restore: (token: string, documentName: string, at: number) =>
    request<{ seq: number; at: number }>(`${documentPath(documentName)}/restore`, token, { at }),
  authors: (token: string, documentName: string) =>
    request<DocumentAuthor[]>(`${documentPath(documentName)}/authors`, token),
  invite: (token: string, invite: InviteRequest) => request<Invite>("/api/invites", token, invite),
  invites: (token: string, programmeId: string, seminarId: string) =>
    request<InviteRecord[]>(
      `/api/invites?${new URLSearchParams({ programmeId, seminarId }).toString()}`,
      token,
    ),
  revokeInvite: async (token: string, id: string) => {
    await send(`/api/invites/${encodeURIComponent(id)}`, token, "DELETE");
  },
  createProgramme: (token: string, programme: unknown) =>
    request<ProgrammeDescription>("/api/programmes", token, programme),
  /** A file from the API (a report), as a Blob with the server's file name. */
  download: async (token: string, path: string) => {
    const response = await send(path, token, "GET");
    const disposition = response.headers.get("content-disposition") ?? "";
    const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? path.split("/").pop() ?? "file";
    return { blob: await response.blob(), name };
  },
};

function documentPath(documentName: string): string {
  return `/api/documents/${encodeURIComponent(documentName)}`;
}

function queryString(query: Record<string, string | number | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text === "" ? "" : `?${text}`;
}

/** The role a token (as `/api/me` describes it) has in one seminar, or null when none. */
export function seminarRoleOf(me: Me, programmeId: string, seminarId: string): Role | null {
  return effectiveRole(
    {
      role: me.role,
      programmeId: me.programmeId,
      ...(me.seminarId ? { seminarId: me.seminarId } : {}),
    },
    { kind: "seminar", id: seminarId, programmeId },
  );
}
