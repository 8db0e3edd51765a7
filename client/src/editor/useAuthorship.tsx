import { useEffect, useId, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Editor } from "@tiptap/react";
import { api, type DocumentAuthor } from "../lib/api.ts";
import type { CollabSession } from "../lib/collab.ts";
import { authorRuns, showAuthorship, type AuthorRun } from "./Authorship.ts";

/**
 * Light backgrounds for authorship colours: each keeps the editor's text (#1a1a1a) and its
 * links (#004d99 under `.authored`) above 4.5:1.
 */
export const AUTHOR_COLORS = [
  "#ffe3c2",
  "#d4f5cc",
  "#cdeffd",
  "#ece6ff",
  "#ffdcee",
  "#fff4b8",
  "#dce8ff",
  "#ffe0db",
  "#d6f5ef",
  "#f1e6d6",
] as const;

/** Wait this long after the last change before colouring again. */
const RECOMPUTE_MS = 300;
/** Ask the server about new client ids at most this often. */
const REFETCH_MS = 3000;

export interface LegendEntry {
  key: string;
  /** Empty for an anonymous person. */
  name: string;
  anonymous: boolean;
  color: string;
}

export interface Legend {
  entries: LegendEntry[];
  /** Some text was written under client ids the server names no one for (older text). */
  unknown: boolean;
  status: "loading" | "ok" | "error";
}

function hash(text: string): number {
  let value = 0;
  for (const char of text) value = (value * 31 + char.charCodeAt(0)) >>> 0;
  return value;
}

/**
 * One colour per person (their `key`, across all their client ids), stable for a given set of
 * people: each takes the colour its key hashes to, or the next free one.
 */
export function colorsByKey(keys: Iterable<string>): Map<string, string> {
  const colors = new Map<string, string>();
  const taken = new Set<number>();
  for (const key of [...new Set(keys)].sort()) {
    let slot = hash(key) % AUTHOR_COLORS.length;
    for (let tries = 0; taken.has(slot) && tries < AUTHOR_COLORS.length; tries++) {
      slot = (slot + 1) % AUTHOR_COLORS.length;
    }
    taken.add(slot);
    colors.set(key, AUTHOR_COLORS[slot]!);
  }
  return colors;
}

/**
 * While `on`, colours the editor's text by author and returns the legend: runs recomputed
 * (debounced) as the text changes, client ids named by `GET …/authors`, fetched again when
 * text arrives under a client id not known yet. Off, the text is plain and nothing is fetched.
 */
export function useAuthorship(
  editor: Editor | null,
  session: CollabSession,
  token: string,
  documentName: string,
  /** The XML root the editor is bound to. */
  field: string,
  on: boolean,
): Legend {
  const [runs, setRuns] = useState<AuthorRun[]>([]);
  const [authors, setAuthors] = useState<Map<number, DocumentAuthor>>(new Map());
  const [status, setStatus] = useState<Legend["status"]>("loading");
  const lastFetch = useRef(0);

  // The runs of the text, recomputed after changes settle.
  useEffect(() => {
    if (!on || !editor) return;
    const fragment = session.doc.getXmlFragment(field);
    let timer: ReturnType<typeof setTimeout> | undefined;
    const recompute = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        if (!editor.isDestroyed) setRuns(authorRuns(editor.view));
      }, RECOMPUTE_MS);
    };
    recompute();
    fragment.observeDeep(recompute);
    return () => {
      clearTimeout(timer);
      fragment.unobserveDeep(recompute);
    };
  }, [on, editor, session, field]);

  // Who the client ids are: on first use, and again when text comes under an unknown one.
  // The set of client ids in the text the server has not named (yet): a new one asks again.
  const unknownIds = useMemo(
    () =>
      [...new Set(runs.map((run) => run.clientId).filter((id) => !authors.has(id)))]
        .sort((x, y) => x - y)
        .join(","),
    [runs, authors],
  );
  const asked = useRef<string | null>(null);
  useEffect(() => {
    if (!on) return;
    if (lastFetch.current !== 0 && asked.current === unknownIds) return;
    const wait = Math.max(0, lastFetch.current + REFETCH_MS - Date.now());
    let live = true;
    const timer = setTimeout(() => {
      lastFetch.current = Date.now();
      asked.current = unknownIds;
      api.authors(token, documentName).then(
        (list) => {
          if (!live) return;
          setAuthors(new Map(list.map((author) => [author.clientId, author])));
          setStatus("ok");
        },
        () => live && setStatus((previous) => (previous === "ok" ? "ok" : "error")),
      );
    }, wait);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [on, unknownIds, token, documentName]);

  const colors = useMemo(
    () =>
      colorsByKey(
        runs.flatMap((run) => {
          const key = authors.get(run.clientId)?.key;
          return key === undefined ? [] : [key];
        }),
      ),
    [runs, authors],
  );

  // The decorations follow the runs and the names; off clears them.
  useEffect(() => {
    if (!editor || editor.isDestroyed) return;
    if (!on) {
      showAuthorship(editor.view, null, () => null);
      return;
    }
    showAuthorship(editor.view, runs, (clientId) => {
      const author = authors.get(clientId);
      const color = author && colors.get(author.key);
      return author && color ? { color, key: author.key } : null;
    });
  }, [editor, on, runs, authors, colors]);

  return useMemo(() => {
    const entries = new Map<string, LegendEntry>();
    let unknown = false;
    for (const run of runs) {
      const author = authors.get(run.clientId);
      if (!author) {
        unknown = true;
        continue;
      }
      if (!entries.has(author.key)) {
        entries.set(author.key, {
          key: author.key,
          name: author.anonymous ? "" : author.name,
          anonymous: author.anonymous,
          color: colors.get(author.key) ?? AUTHOR_COLORS[0],
        });
      }
    }
    return { entries: [...entries.values()], unknown: unknown && status === "ok", status };
  }, [runs, authors, colors, status]);
}

/**
 * The "Autori" switch above an editor and, while on, the legend of who wrote the text (the text
 * itself coloured by author).
 */
export function AuthorsOption({
  editor,
  session,
  token,
  documentName,
  field,
}: {
  editor: Editor | null;
  session: CollabSession;
  /** For `GET …/authors`, who each client id of the text is. */
  token: string;
  documentName: string;
  field: string;
}) {
  const { t } = useTranslation();
  const [showAuthors, setShowAuthors] = useState(false);
  const legendId = useId();
  const legend = useAuthorship(editor, session, token, documentName, field, showAuthors);
  return (
    <div className="editor-options">
      <button
        type="button"
        className="btn btn-small authors-toggle"
        aria-pressed={showAuthors}
        aria-controls={legendId}
        onClick={() => setShowAuthors((on) => !on)}
      >
        {t("editor.authors")}
      </button>
      <div id={legendId} className="authors-legend-slot">
        {showAuthors && <AuthorsLegend legend={legend} />}
      </div>
    </div>
  );
}

/** Who wrote the text, with their colours; "anonimo" for anyone anonymous. */
export function AuthorsLegend({ legend }: { legend: Legend }) {
  const { t } = useTranslation();
  if (legend.status === "loading") {
    return (
      <p className="hint" role="status">
        {t("editor.authorsLoading")}
      </p>
    );
  }
  if (legend.status === "error") {
    return (
      <p className="alert" role="alert">
        {t("editor.authorsError")}
      </p>
    );
  }
  return (
    <div className="authors-legend">
      <h3 className="small-heading">{t("editor.authorsHeading")}</h3>
      {legend.entries.length === 0 ? (
        <p className="muted">{t("editor.authorsEmpty")}</p>
      ) : (
        <ul>
          {legend.entries.map((entry) => (
            <li key={entry.key} data-author={entry.key}>
              <span
                className="author-swatch"
                style={{ backgroundColor: entry.color }}
                aria-hidden="true"
              />
              {entry.anonymous || entry.name === "" ? t("presence.anonymous") : entry.name}
            </li>
          ))}
        </ul>
      )}
      {legend.unknown && <p className="muted">{t("editor.authorsUnknown")}</p>}
    </div>
  );
}
