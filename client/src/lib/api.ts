import { effectiveRole, type Programme, type Role, type SeminarStatus } from "@percorso/schema";

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

export interface Me {
  role: Role;
  programmeId: string;
  seminarId: string | null;
  expiresAt: number | null;
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
