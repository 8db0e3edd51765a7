import { useEffect, useId, useMemo, useRef, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import {
  addSuggestion,
  mayEditField,
  setSupport,
  withdrawSuggestion,
  type Suggestion,
  type SupportValue,
} from "@percorso/schema";
import type { Change } from "../lib/api.ts";
import { mutationAs } from "../lib/rules.ts";
import { formatDateTime } from "../i18n.ts";
import { PASSAGE_PROBLEMS, useAuthorLabel, type CommentsContext } from "./Comments.tsx";
import {
  encodePassage,
  pickPassage,
  plainText,
  type Passage,
  type ResolvedPassage,
} from "./passages.ts";
import { SUGGESTION_RULE, signatureOf } from "./usePlenary.ts";
import { wordDiff } from "./wordDiff.ts";

const MAX_TEXT = 4000;

/** Open suggestions first, the most supported on top; decided ones after, newest first. */
export function bySupport(a: Suggestion, b: Suggestion): number {
  const openA = a.status === "open" ? 0 : 1;
  const openB = b.status === "open" ? 0 : 1;
  if (openA !== openB) return openA - openB;
  if (openA === 0) {
    return b.support - a.support || a.objections - b.objections || a.createdAt - b.createdAt;
  }
  return (b.decidedAt ?? b.createdAt) - (a.decidedAt ?? a.createdAt);
}

/** A compact redline: removed struck through, added underlined, and said to screen readers. */
export function InlineRedline({ changes }: { changes: readonly Change[] }) {
  const { t } = useTranslation();
  return (
    <p className="conf-redline">
      {changes.map((change, index) =>
        change.removed ? (
          <del key={index}>
            <span className="visually-hidden">[{t("redline.removedStart")} </span>
            {change.value}
            <span className="visually-hidden">]</span>
          </del>
        ) : change.added ? (
          <ins key={index}>
            <span className="visually-hidden">[{t("redline.addedStart")} </span>
            {change.value}
            <span className="visually-hidden">]</span>
          </ins>
        ) : (
          <span key={index}>{change.value}</span>
        ),
      )}
    </p>
  );
}

/** The legend of the redlines: the colours said in words. */
export function RedlineLegend() {
  const { t } = useTranslation();
  return (
    <p className="redline-legend conf-legend">
      <span>
        <del>{t("redline.removedSample")}</del> {t("redline.removedMeaning")}
      </span>
      <span>
        <ins>{t("redline.addedSample")}</ins> {t("redline.addedMeaning")}
      </span>
    </p>
  );
}

/** The text a suggestion is read against: its passage now, or what it was proposed on. */
export function baseTextOf(suggestion: Suggestion, passage: ResolvedPassage | undefined): string {
  return suggestion.status === "open" && passage?.status === "ok"
    ? passage.current
    : suggestion.originalText;
}

/**
 * One suggestion: the redline of its replacement against the passage as it is now (as it was,
 * once decided), its support and objections, what became of it and why; `actions` for those who
 * may act on it.
 */
export function SuggestionCard({
  suggestion,
  passage,
  onShowPassage,
  active = false,
  signal,
  actions,
  headingLevel = 3,
}: {
  suggestion: Suggestion;
  passage: ResolvedPassage | undefined;
  onShowPassage?: (kind: "suggestion", id: string) => void;
  active?: boolean;
  /** The reader's own signal and how to change it, when they may give one. */
  signal?: { value: SupportValue | null; set: (value: SupportValue | null) => void };
  actions?: ReactNode;
  headingLevel?: 3 | 4;
}) {
  const { t, i18n } = useTranslation();
  const authorLabel = useAuthorLabel();
  const base = baseTextOf(suggestion, passage);
  const changes = useMemo(
    () => wordDiff(base, suggestion.proposedText),
    [base, suggestion.proposedText],
  );
  const changed =
    suggestion.status === "open" &&
    passage?.status === "ok" &&
    passage.current !== suggestion.originalText;
  const Heading = `h${headingLevel}` as "h3";
  const headingId = useId();

  return (
    <article
      className={`conf-item conf-suggestion status-${suggestion.status}${active ? " active" : ""}`}
      id={`proposta-${suggestion.id}`}
      data-suggestion-id={suggestion.id}
      data-status={suggestion.status}
      tabIndex={-1}
      aria-labelledby={headingId}
    >
      <Heading id={headingId} className="conf-item-heading">
        {t("plenary.suggestions.by", { author: authorLabel(suggestion.author) })}{" "}
        <span className={`badge outcome-${suggestion.status}`}>
          {t(`plenary.outcome.${suggestion.status}`)}
        </span>
      </Heading>
      <p className="conf-meta">
        <time dateTime={new Date(suggestion.createdAt).toISOString()}>
          {formatDateTime(suggestion.createdAt, i18n.language)}
        </time>
      </p>
      <InlineRedline changes={changes} />
      {suggestion.status === "open" && suggestion.anchor && passage?.status === "deleted" && (
        <p className="conf-gone">{t("plenary.suggestions.passageGone")}</p>
      )}
      {changed && <p className="conf-gone">{t("plenary.suggestions.passageChanged")}</p>}
      {suggestion.status === "open" && passage?.status === "ok" && onShowPassage && (
        <p>
          <button
            type="button"
            className="link-button"
            onClick={() => onShowPassage("suggestion", suggestion.id)}
          >
            {t("plenary.showInText")}
          </button>
        </p>
      )}
      <p className="conf-signals">
        <span className="conf-count" data-count="support">
          {t("plenary.suggestions.support", { count: suggestion.support })}
        </span>
        {" · "}
        <span className="conf-count" data-count="object">
          {t("plenary.suggestions.objections", { count: suggestion.objections })}
        </span>
      </p>
      {(suggestion.status === "accepted" || suggestion.status === "rejected") && (
        <div className={`conf-outcome outcome-box-${suggestion.status}`}>
          <p>
            {t(`plenary.suggestions.decided.${suggestion.status}`, {
              by: suggestion.decidedBy || t("presence.anonymous"),
              time: suggestion.decidedAt ? formatDateTime(suggestion.decidedAt, i18n.language) : "",
            })}
          </p>
          <p className="conf-reason">
            {suggestion.reason ? (
              <>
                <strong>{t("plenary.suggestions.reason")}</strong> {suggestion.reason}
              </>
            ) : (
              t("plenary.suggestions.noReason")
            )}
          </p>
        </div>
      )}
      {suggestion.status === "withdrawn" && (
        <p className="muted">{t("plenary.suggestions.withdrawnNote")}</p>
      )}
      {signal && suggestion.status === "open" && (
        <div
          className="form-row conf-signal-buttons"
          role="group"
          aria-label={t("plenary.suggestions.yourSignal")}
        >
          {(["support", "object"] as const).map((value) => (
            <button
              key={value}
              type="button"
              className={`btn btn-small signal-${value}${signal.value === value ? " active" : ""}`}
              aria-pressed={signal.value === value}
              onClick={() => signal.set(signal.value === value ? null : value)}
            >
              {t(`plenary.suggestions.${value}Action`)}
            </button>
          ))}
        </div>
      )}
      {actions}
    </article>
  );
}

/**
 * The suggestions of one section: open ones by support, each with the reader's support or
 * objection (one, changeable) and, for its author, withdrawal; decided and withdrawn ones
 * folded away with what became of them; and the form for a new one.
 */
export function Suggestions({
  section,
  title,
  suggestions,
  runs,
  context,
  composer,
  onCloseComposer,
  onOpenComposer,
}: {
  section: string;
  title: string;
  suggestions: readonly Suggestion[];
  runs: readonly Y.XmlText[];
  context: CommentsContext;
  composer: { passage: Passage | null; words: string } | null;
  onCloseComposer: () => void;
  onOpenComposer: () => void;
}) {
  const { t } = useTranslation();
  const { session, identity, writer, canWrite } = context;
  const sorted = [...suggestions].sort(bySupport);
  const open = sorted.filter((s) => s.status === "open");
  const closed = sorted.filter((s) => s.status !== "open");
  const anonId = identity.anonId;

  const card = (suggestion: Suggestion) => {
    const own =
      canWrite &&
      (suggestion.authorId === identity.userId || suggestion.authorId === identity.anonId) &&
      mayEditField(SUGGESTION_RULE, "status", suggestion.authorId, writer, "withdrawn");
    return (
      <SuggestionCard
        suggestion={suggestion}
        passage={context.passages.get(suggestion.id)}
        onShowPassage={context.onShowPassage}
        active={context.active?.kind === "suggestion" && context.active.id === suggestion.id}
        {...(canWrite && anonId
          ? {
              signal: {
                value: suggestion.signals.get(anonId) ?? null,
                set: (value: SupportValue | null) =>
                  setSupport(session.doc, suggestion.id, anonId, value, {
                    clientId: session.anonClientId,
                  }),
              },
            }
          : {})}
        actions={
          own && suggestion.status === "open" ? (
            <div className="form-row conf-actions">
              <button
                type="button"
                className="btn btn-small"
                onClick={() =>
                  withdrawSuggestion(
                    session.doc,
                    suggestion.id,
                    mutationAs(suggestion.authorId, writer, session),
                  )
                }
              >
                {t("plenary.suggestions.withdraw")}
              </button>
            </div>
          ) : null
        }
      />
    );
  };

  return (
    <div className="conf-suggestions">
      {canWrite &&
        (composer ? (
          <SuggestionForm
            section={section}
            runs={runs}
            context={context}
            initial={composer}
            onDone={onCloseComposer}
          />
        ) : (
          <>
            <p className="hint">{t("plenary.suggestions.howTo")}</p>
            <p>
              <button type="button" className="btn btn-small" onClick={onOpenComposer}>
                {t("plenary.suggestions.new")}
              </button>
            </p>
          </>
        ))}
      {sorted.length > 0 && <RedlineLegend />}
      {open.length === 0 ? (
        <p className="empty">{t("plenary.suggestions.none", { title })}</p>
      ) : (
        <ol className="conf-items">
          {open.map((suggestion) => (
            <li key={suggestion.id}>{card(suggestion)}</li>
          ))}
        </ol>
      )}
      {closed.length > 0 && (
        <details className="conf-resolved">
          <summary>{t("plenary.suggestions.closed", { count: closed.length })}</summary>
          <ol className="conf-items">
            {closed.map((suggestion) => (
              <li key={suggestion.id}>{card(suggestion)}</li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}

function SuggestionForm({
  section,
  runs,
  context,
  initial,
  onDone,
}: {
  section: string;
  runs: readonly Y.XmlText[];
  context: CommentsContext;
  initial: { passage: Passage | null; words: string };
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [words, setWords] = useState(initial.words);
  const [proposed, setProposed] = useState(initial.words);
  const touched = useRef(false);
  const [passageError, setPassageError] = useState<string | null>(null);
  const [proposedError, setProposedError] = useState<string | null>(null);
  const ids = { passage: useId(), help: useId(), proposed: useId(), preview: useId() };
  const passageRef = useRef<HTMLInputElement>(null);
  const proposedRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const target = initial.words ? proposedRef.current : passageRef.current;
    target?.focus();
    target?.scrollIntoView({ block: "center" });
  }, [initial.words]);
  useEffect(() => {
    setWords(initial.words);
    // The replacement starts as the passage, to be edited — unless the reader already wrote one.
    if (!touched.current) setProposed(initial.words);
  }, [initial]);

  const picked = pickPassage(words, initial.passage, runs);
  const current =
    picked.status === "ok" ? plainText(picked.text).slice(picked.from, picked.to) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const signature = signatureOf(context.identity, context.session);
    if (!signature) return;
    if (picked.status !== "ok") {
      setPassageError(
        t(picked.status === "none" ? "plenary.passage.required" : PASSAGE_PROBLEMS[picked.status]),
      );
      return passageRef.current?.focus();
    }
    if (proposed.trim() === current?.trim()) {
      setProposedError(t("plenary.suggestions.unchanged"));
      return proposedRef.current?.focus();
    }
    addSuggestion(
      context.session.doc,
      {
        section,
        ...encodePassage(picked),
        originalText: current ?? "",
        proposedText: proposed,
        author: signature.author,
        authorId: signature.authorId,
      },
      signature.options,
    );
    onDone();
  };

  return (
    <form className="conf-form card" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={ids.passage}>{t("plenary.passage.toReplace")}</label>
        <input
          id={ids.passage}
          ref={passageRef}
          value={words}
          onChange={(e) => {
            setWords(e.target.value);
            setPassageError(null);
          }}
          aria-describedby={passageError ? `${ids.help} ${ids.passage}-error` : ids.help}
          aria-invalid={passageError ? true : undefined}
        />
        <p id={ids.help} className="help">
          {t("plenary.passage.help")}
        </p>
        {passageError && (
          <p id={`${ids.passage}-error`} className="field-error" role="alert">
            {passageError}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={ids.proposed}>{t("plenary.suggestions.proposedLabel")}</label>
        <textarea
          id={ids.proposed}
          ref={proposedRef}
          rows={3}
          maxLength={MAX_TEXT}
          value={proposed}
          onChange={(e) => {
            setProposed(e.target.value);
            touched.current = true;
            setProposedError(null);
          }}
          aria-describedby={proposedError ? `${ids.preview} ${ids.proposed}-error` : ids.preview}
          aria-invalid={proposedError ? true : undefined}
        />
        {proposedError && (
          <p id={`${ids.proposed}-error`} className="field-error" role="alert">
            {proposedError}
          </p>
        )}
      </div>
      <div className="conf-preview" id={ids.preview}>
        <p className="small-heading">{t("plenary.suggestions.preview")}</p>
        {current !== null ? (
          <>
            <RedlineLegend />
            <InlineRedline changes={wordDiff(current, proposed)} />
          </>
        ) : (
          <p className="hint">{t("plenary.suggestions.previewEmpty")}</p>
        )}
      </div>
      <p className="hint">
        {context.identity.anonymous
          ? t("plenary.signedAnonymous")
          : t("plenary.signedAs", { name: context.identity.name })}
      </p>
      <div className="form-row">
        <button type="submit" className="btn btn-primary">
          {t("plenary.suggestions.send")}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          {t("plenary.cancel")}
        </button>
      </div>
    </form>
  );
}
