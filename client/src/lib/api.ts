import {
  effectiveRole,
  type ActorKind,
  type CitedAnswer,
  type DraftVersion,
  type Programme,
  type Role,
  type SectionAgreement,
  type SeminarStatus,
  type Suggestion,
} from "@percorso/schema";

/** The REST API of DESIGN.md §5, typed for the app (its shared shapes come from the schema). */
export type { CitedAnswer, DraftVersion };

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
  /**
   * A fresh pair of Yjs client ids bound to this person on every call (one per page load, so
   * two tabs never share one); null for a token with no person.
   */
  clientIds: { named: number; anonymous: number } | null;
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
  /** The person's first pair of Yjs client ids (each page load asks `/api/me` for its own). */
  clientIds?: { named: number; anonymous: number };
}

/** One stored update of a document, as `GET /api/documents/:name/history` lists it. */
export interface HistoryEntry {
  seq: number;
  /** Epoch ms; 0 for what was stored before the history began. */
  at: number;
  /**
   * Null before the history began, for an anonymous act (to everyone, admin included), and for
   * a person who joined anonymously (to all but an admin).
   */
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

/**
 * An invite as `GET /api/invites` lists it: what it is, who made it and how many joined through
 * it — never its token or links (only its creator gets those, once). Times are epoch seconds.
 */
export interface InviteRecord {
  id: string;
  role: Role;
  programmeId: string;
  seminarId: string | null;
  /** A user id, `admin`, or `invite:<id>`, and the name then; null on older invites. */
  createdBy: { id: string; name: string } | null;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  /** How many people joined through it. */
  joined: number;
}

/** What `POST /api/invites` answers to its creator: the record, its token and its links. */
export type Invite = InviteRecord & {
  token: string;
  url: string;
  /** `/i/<code>`: a short link of its own secret, for QR codes and reading aloud. */
  shortUrl: string;
};

/** One chapter fed by a seminar, as the roll-up panel shows it (`GET …/draft/sources`). */
export interface DraftSource {
  /** The chapter's section key. */
  chapter: string;
  chapterTitle: string;
  seminarId: string;
  seminarNumber: number;
  seminarTitle: string;
  /** Epoch ms; null when the seminar has not been rolled up yet. */
  rolledUpAt: number | null;
  /** Display name of the drafter (empty when they joined anonymously). */
  by: string | null;
  mode: "replace" | "append" | "merge" | "ignore" | null;
  /** The seminar's text changed since the roll-up. */
  stale: boolean;
  /** When the seminar last changed after the roll-up (epoch ms), when stale. */
  sourceChangedAt?: number;
}

/** A piece of a word-level redline: removed, added, or kept. */
export interface Change {
  value: string;
  added?: boolean;
  removed?: boolean;
  /** Unchanged paragraphs left out here (a version comparison shows the changes in context). */
  skipped?: number;
}

/** Source-then vs source-now of a rolled-up chapter (`GET …/sources/:chapter/diff`). */
export interface SourceDiff {
  chapter: string;
  seminarId: string;
  rolledUpAt: number;
  by: string;
  stale: boolean;
  then: string;
  now: string;
  changes: Change[];
}

export type MergeRegion =
  | { kind: "ok"; blocks: string[] }
  | { kind: "conflict"; ours: string[]; base: string[]; theirs: string[] };

/** What a three-way merge would do (`GET …/sources/:chapter/merge`). */
export interface MergePreview {
  chapter: string;
  /** Hands the preview back with the merge: refused (409) if either side changed since. */
  token: string;
  conflicts: number;
  regions: MergeRegion[];
}

export type Resolution = "ours" | "theirs" | "both";

export interface RollupResult {
  chapter: string;
  rolledUpAt: number;
  by: string;
  mode: string;
}

export interface DraftVersionBody extends DraftVersion {
  /** The body as Yjs XML markup, and as plain text per top-level block. */
  body: { markup: string; text: string[] };
}

export type DraftExportFormat = "docx" | "pdf" | "html" | "md";

/** What the room thinks of one section, totalled and by kind of actor (`GET …/draft/agreement`). */
export type SectionAgreementView = SectionAgreement & { title: string };

/** Groups of a question's answers the server proposes from their words (nothing is written). */
export interface SuggestedGroups {
  questionId: string;
  /** How many answers were looked at. */
  answers: number;
  groups: { label: string; answerIds: string[]; terms: string[] }[];
}

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
  /** A seminar's invites, or (no `seminarId`) the programme's, as far as the caller may see. */
  invites: (token: string, programmeId: string, seminarId?: string) =>
    request<InviteRecord[]>(
      `/api/invites?${new URLSearchParams(seminarId === undefined ? { programmeId } : { programmeId, seminarId }).toString()}`,
      token,
    ),
  revokeInvite: async (token: string, id: string) => {
    await send(`/api/invites/${encodeURIComponent(id)}`, token, "DELETE");
  },
  suggestedGroups: (token: string, programmeId: string, seminarId: string, questionId: string) =>
    request<SuggestedGroups>(
      `${programmePath(programmeId)}/seminars/${encodeURIComponent(seminarId)}/questions/${encodeURIComponent(questionId)}/suggested-groups`,
      token,
      {},
    ),
  createProgramme: (token: string, programme: unknown) =>
    request<ProgrammeDescription>("/api/programmes", token, programme),
  rollUp: (token: string, programmeId: string, seminarId: string, mode: "replace" | "append") =>
    request<RollupResult>(`${draftPath(programmeId)}/rollup`, token, { seminarId, mode }),
  draftSources: (token: string, programmeId: string) =>
    request<DraftSource[]>(`${draftPath(programmeId)}/sources`, token),
  sourceDiff: (token: string, programmeId: string, chapter: string) =>
    request<SourceDiff>(`${sourcePath(programmeId, chapter)}/diff`, token),
  mergePreview: (token: string, programmeId: string, chapter: string) =>
    request<MergePreview>(`${sourcePath(programmeId, chapter)}/merge`, token),
  merge: (
    token: string,
    programmeId: string,
    chapter: string,
    body: { token: string; resolutions: Resolution[] },
  ) => request<RollupResult>(`${sourcePath(programmeId, chapter)}/merge`, token, body),
  ignoreSource: (token: string, programmeId: string, chapter: string) =>
    request<RollupResult>(`${sourcePath(programmeId, chapter)}/ignore`, token, {}),
  versions: (token: string, programmeId: string) =>
    request<DraftVersion[]>(`${draftPath(programmeId)}/versions`, token),
  saveVersion: (token: string, programmeId: string, label: string) =>
    request<DraftVersion>(`${draftPath(programmeId)}/versions`, token, { label }),
  version: (token: string, programmeId: string, id: string) =>
    request<DraftVersionBody>(
      `${draftPath(programmeId)}/versions/${encodeURIComponent(id)}`,
      token,
    ),
  /** A redline between two versions; `"now"` is the draft as it is. */
  compare: (token: string, programmeId: string, from: string, to: string) =>
    request<{ from: string; to: string; changes: Change[] }>(
      `${draftPath(programmeId)}/compare${queryString({ from, to })}`,
      token,
    ),
  restoreVersion: (token: string, programmeId: string, id: string) =>
    request<{ restored: string; at: number }>(
      `${draftPath(programmeId)}/versions/${encodeURIComponent(id)}/restore`,
      token,
      {},
    ),
  citedAnswer: (token: string, programmeId: string, answerId: string, seminarId: string | null) =>
    request<CitedAnswer>(
      `${programmePath(programmeId)}/answers/${encodeURIComponent(answerId)}${queryString({
        seminarId: seminarId ?? undefined,
      })}`,
      token,
    ),
  /** The drafting team's decision on a suggestion; accepting changes the body (409: it changed). */
  decideSuggestion: (
    token: string,
    programmeId: string,
    suggestionId: string,
    decision: "accept" | "reject",
    reason: string,
  ) =>
    request<unknown>(
      `${draftPath(programmeId)}/suggestions/${encodeURIComponent(suggestionId)}/${decision}`,
      token,
      { reason },
    ),
  agreement: (token: string, programmeId: string) =>
    request<SectionAgreementView[]>(`${draftPath(programmeId)}/agreement`, token),
  /** Where the conference's report is (participants, sections by agreement, suggestions). */
  conferenceReportPath: (programmeId: string, format: "md" | "docx") =>
    `${programmePath(programmeId)}/conference.${format}`,
  /** Where the draft's export in `format` is (of a version, or of now). */
  draftExportPath: (programmeId: string, format: DraftExportFormat, version?: string) =>
    `${programmePath(programmeId)}/draft.${format}${queryString({ version })}`,
  /** The public "Esito delle proposte": every suggestion and what became of it, no token. */
  outcomes: (programmeId: string) =>
    request<Omit<Suggestion, "signals" | "authorId" | "anchor" | "head">[]>(
      `${programmePath(programmeId)}/draft/outcomes`,
    ),
  /** The draft's chapters (key and title, in order), public, for the outcomes page. */
  draftSections: (programmeId: string) =>
    request<{ key: string; title: string }[]>(`${programmePath(programmeId)}/draft/sections`),
  /** A file from the API (a report), as a Blob with the server's file name. */
  download: async (token: string, path: string) => {
    const response = await send(path, token, "GET");
    const disposition = response.headers.get("content-disposition") ?? "";
    const name = /filename="?([^";]+)"?/.exec(disposition)?.[1] ?? path.split("/").pop() ?? "file";
    return { blob: await response.blob(), name };
  },
};

function programmePath(programmeId: string): string {
  return `/api/programmes/${encodeURIComponent(programmeId)}`;
}

function draftPath(programmeId: string): string {
  return `${programmePath(programmeId)}/draft`;
}

function sourcePath(programmeId: string, chapter: string): string {
  return `${draftPath(programmeId)}/sources/${encodeURIComponent(chapter)}`;
}

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
