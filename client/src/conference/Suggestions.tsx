import { useEffect, useId, useMemo, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import {
  addSuggestion,
  isOwnedBy,
  mayEditField,
  mayKeyOn,
  setSupport,
  withdrawSuggestion,
  type Suggestion,
  type SupportValue,
} from "@percorso/schema";
import type { Change } from "../lib/api.ts";
import { mutationAs } from "../lib/rules.ts";
import { formatDateTime } from "../i18n.ts";
import { RedlineChanges, RedlineLegend } from "../draft/Redline.tsx";
import { ItemTime, useAuthorLabel } from "./Comments.tsx";
import {
  FormActions,
  PASSAGE_PROBLEMS,
  PassageField,
  SignedHint,
  TextField,
  useField,
  type NewItemFormProps,
} from "./ItemForm.tsx";
import { SectionItems, type SectionTab } from "./SectionItems.tsx";
import { encodePassage, pickPassage, plainText, type ResolvedPassage } from "./passages.ts";
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

/** A compact redline, in a paragraph of the conference's look. */
export function InlineRedline({ changes }: { changes: readonly Change[] }) {
  return (
    <p className="conf-redline">
      <RedlineChanges changes={changes} />
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
        <ItemTime at={suggestion.createdAt} />
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
  suggestions,
  ...tab
}: SectionTab & { suggestions: readonly Suggestion[] }) {
  const { t } = useTranslation();
  const { title, context } = tab;
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
        {...(canWrite &&
        anonId &&
        // Not on one's own suggestion: the server refuses it (the schema's own-vote rule).
        !isOwnedBy(suggestion.authorId, writer) &&
        mayKeyOn(SUGGESTION_RULE, "support", suggestion.authorId, writer)
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
    <SectionItems
      tab={tab}
      className="conf-suggestions"
      Form={SuggestionForm}
      opener={{ label: t("plenary.suggestions.new"), hint: t("plenary.suggestions.howTo") }}
      legend={sorted.length > 0 && <RedlineLegend className="conf-legend" />}
      open={open}
      closed={closed}
      none={t("plenary.suggestions.none", { title })}
      closedSummary={t("plenary.suggestions.closed", { count: closed.length })}
      renderItem={card}
    />
  );
}

function SuggestionForm({ section, runs, context, initial, onDone }: NewItemFormProps) {
  const { t } = useTranslation();
  const passage = useField<HTMLInputElement>(initial.words);
  const proposed = useField<HTMLTextAreaElement>(initial.words);
  const previewId = useId();
  const { ref: passageRef, setValue: setWords } = passage;
  const { ref: proposedRef, setValue: setProposed, edited: touched } = proposed;
  useEffect(() => {
    const target = initial.words ? proposedRef.current : passageRef.current;
    target?.focus();
    target?.scrollIntoView({ block: "center" });
  }, [initial.words, passageRef, proposedRef]);
  useEffect(() => {
    setWords(initial.words);
    // The replacement starts as the passage, to be edited — unless the reader already wrote one.
    if (!touched.current) setProposed(initial.words);
  }, [initial, setWords, setProposed, touched]);

  const picked = pickPassage(passage.value, initial.passage, runs);
  const current =
    picked.status === "ok" ? plainText(picked.text).slice(picked.from, picked.to) : null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const signature = signatureOf(context.identity, context.session);
    if (!signature) return;
    if (picked.status !== "ok") {
      return passage.fail(
        t(picked.status === "none" ? "plenary.passage.required" : PASSAGE_PROBLEMS[picked.status]),
      );
    }
    if (proposed.value.trim() === current?.trim()) {
      return proposed.fail(t("plenary.suggestions.unchanged"));
    }
    addSuggestion(
      context.session.doc,
      {
        section,
        ...encodePassage(picked),
        originalText: current ?? "",
        proposedText: proposed.value,
        author: signature.author,
        authorId: signature.authorId,
      },
      signature.options,
    );
    onDone();
  };

  return (
    <form className="conf-form card" onSubmit={submit} noValidate>
      <PassageField label={t("plenary.passage.toReplace")} field={passage} />
      <TextField
        label={t("plenary.suggestions.proposedLabel")}
        field={proposed}
        rows={3}
        maxLength={MAX_TEXT}
        describedBy={previewId}
      />
      <div className="conf-preview" id={previewId}>
        <p className="small-heading">{t("plenary.suggestions.preview")}</p>
        {current !== null ? (
          <>
            <RedlineLegend className="conf-legend" />
            <InlineRedline changes={wordDiff(current, proposed.value)} />
          </>
        ) : (
          <p className="hint">{t("plenary.suggestions.previewEmpty")}</p>
        )}
      </div>
      <SignedHint identity={context.identity} />
      <FormActions send={t("plenary.suggestions.send")} onCancel={onDone} />
    </form>
  );
}
