/**
 * Document names of the wire contract (DESIGN.md §5): `programme:<id>`, `seminar:<id>`,
 * `draft:<programmeId>`. Ids are lowercase slugs so names are safe in URLs, logs and keys.
 */
export const DOCUMENT_KINDS = ["programme", "seminar", "draft"] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

export interface DocumentName {
  kind: DocumentKind;
  id: string;
}

const ID_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/;

export function isValidId(id: string): boolean {
  return ID_PATTERN.test(id);
}

/** Parses `seminar:abc` into its kind and id; `null` when the name is not of the contract. */
export function parseDocumentName(name: string): DocumentName | null {
  const colon = name.indexOf(":");
  if (colon < 0) return null;
  const kind = name.slice(0, colon);
  const id = name.slice(colon + 1);
  if (!(DOCUMENT_KINDS as readonly string[]).includes(kind) || !isValidId(id)) return null;
  return { kind: kind as DocumentKind, id };
}

export function formatDocumentName(kind: DocumentKind, id: string): string {
  return `${kind}:${id}`;
}

export const seminarDocumentName = (seminarId: string): string =>
  formatDocumentName("seminar", seminarId);
export const draftDocumentName = (programmeId: string): string =>
  formatDocumentName("draft", programmeId);
export const programmeDocumentName = (programmeId: string): string =>
  formatDocumentName("programme", programmeId);
