import type { Programme, Role, SeminarStatus } from "@percorso/schema";

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

export interface Invite {
  token: string;
  url: string;
  role: Role;
  expiresAt: number | null;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

async function request<T>(path: string, token?: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: body === undefined ? "GET" : "POST",
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
    const body = (await response.json().catch(() => null)) as {
      error?: { code?: string; message?: string };
    } | null;
    throw new ApiError(
      response.status,
      body?.error?.code ?? "http_error",
      body?.error?.message ?? response.statusText,
    );
  }
  return (await response.json()) as T;
}

export const api = {
  programmes: () => request<{ id: string; title: string }[]>("/api/programmes"),
  programme: (id: string) =>
    request<ProgrammeDescription>(`/api/programmes/${encodeURIComponent(id)}`),
  me: (token: string) => request<Me>("/api/me", token),
  invite: (token: string, invite: InviteRequest) => request<Invite>("/api/invites", token, invite),
};
