import { useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import { addComment, mayEditField, setCommentResolved, type DraftComment } from "@percorso/schema";
import type { CollabSession } from "../lib/collab.ts";
import type { Identity } from "../lib/identity.ts";
import { mutationAs } from "../lib/rules.ts";
import type { Writer } from "@percorso/schema";
import { formatDateTime } from "../i18n.ts";
import { encodePassage, pickPassage, type Passage, type ResolvedPassage } from "./passages.ts";
import { COMMENT_RULE, signatureOf } from "./usePlenary.ts";

/** What a section's comments need from the page. */
export interface CommentsContext {
  session: CollabSession;
  identity: Identity;
  writer: Writer;
  /** May write comments at all (not an observer, not an invite used directly). */
  canWrite: boolean;
  passages: ReadonlyMap<string, ResolvedPassage>;
  /** Shows an item's passage in the text (scrolls to it, marks it). */
  onShowPassage: (kind: "comment" | "suggestion", id: string) => void;
  active: { kind: "comment" | "suggestion"; id: string } | null;
}

const MAX_TEXT = 2000;

/**
 * The comments of one section: threads (a comment and its replies) on the section or on a
 * passage of it, open ones first and resolved ones folded away; the author or "anonimo"; a reply
 * to any thread, and resolving by its author or the drafting team.
 */
export function Comments({
  section,
  title,
  comments,
  runs,
  context,
  composer,
  onCloseComposer,
  onOpenComposer,
}: {
  section: string;
  title: string;
  comments: readonly DraftComment[];
  runs: readonly Y.XmlText[];
  context: CommentsContext;
  /** The new comment being written here, with the passage selected when it was started. */
  composer: { passage: Passage | null; words: string } | null;
  onCloseComposer: () => void;
  onOpenComposer: () => void;
}) {
  const { t } = useTranslation();
  const threads = comments.filter((comment) => comment.parentId === null);
  const repliesOf = (id: string) => comments.filter((comment) => comment.parentId === id);
  const open = threads.filter((thread) => !thread.resolved);
  const resolved = threads.filter((thread) => thread.resolved);

  return (
    <div className="conf-comments">
      {context.canWrite &&
        (composer ? (
          <CommentForm
            section={section}
            runs={runs}
            context={context}
            initial={composer}
            onDone={onCloseComposer}
          />
        ) : (
          <p>
            <button type="button" className="btn btn-small" onClick={onOpenComposer}>
              {t("plenary.comments.new")}
            </button>
          </p>
        ))}
      {open.length === 0 ? (
        <p className="empty">{t("plenary.comments.none", { title })}</p>
      ) : (
        <ol className="conf-items">
          {open.map((thread) => (
            <li key={thread.id}>
              <Thread comment={thread} replies={repliesOf(thread.id)} context={context} />
            </li>
          ))}
        </ol>
      )}
      {resolved.length > 0 && (
        <details className="conf-resolved">
          <summary>{t("plenary.comments.resolved", { count: resolved.length })}</summary>
          <ol className="conf-items">
            {resolved.map((thread) => (
              <li key={thread.id}>
                <Thread comment={thread} replies={repliesOf(thread.id)} context={context} />
              </li>
            ))}
          </ol>
        </details>
      )}
    </div>
  );
}

/** The author as shown: their name, or "anonimo". */
export function useAuthorLabel(): (author: string) => string {
  const { t } = useTranslation();
  return (author) => (author.trim() === "" ? t("presence.anonymous") : author);
}

/** The passage an item is on, as it reads now — or that it is gone. */
export function PassageQuote({
  kind,
  id,
  passage,
  deletedKey,
  onShow,
}: {
  kind: "comment" | "suggestion";
  id: string;
  passage: ResolvedPassage | undefined;
  deletedKey: string;
  onShow: (kind: "comment" | "suggestion", id: string) => void;
}) {
  const { t } = useTranslation();
  if (!passage || passage.status === "pending") return null;
  if (passage.status === "deleted") {
    return <p className="conf-gone">{t(deletedKey)}</p>;
  }
  return (
    <div className="conf-quote-row">
      <blockquote className="conf-quote">«{passage.current}»</blockquote>
      <button type="button" className="link-button" onClick={() => onShow(kind, id)}>
        {t("plenary.showInText")}
      </button>
    </div>
  );
}

function Thread({
  comment,
  replies,
  context,
}: {
  comment: DraftComment;
  replies: readonly DraftComment[];
  context: CommentsContext;
}) {
  const { t, i18n } = useTranslation();
  const authorLabel = useAuthorLabel();
  const [replying, setReplying] = useState(false);
  const { session, identity, writer, canWrite } = context;
  const mayResolve = canWrite && mayEditField(COMMENT_RULE, "resolved", comment.authorId, writer);
  const active = context.active?.kind === "comment" && context.active.id === comment.id;
  const toggleResolved = () =>
    setCommentResolved(
      session.doc,
      comment.id,
      !comment.resolved,
      mutationAs(comment.authorId, writer, session),
    );

  return (
    <article
      className={`conf-item conf-comment${active ? " active" : ""}${comment.resolved ? " resolved" : ""}`}
      id={`commento-${comment.id}`}
      data-comment-id={comment.id}
      tabIndex={-1}
      aria-label={t("plenary.comments.by", { author: authorLabel(comment.author) })}
    >
      <p className="conf-meta">
        <strong>{authorLabel(comment.author)}</strong> ·{" "}
        <time dateTime={new Date(comment.createdAt).toISOString()}>
          {formatDateTime(comment.createdAt, i18n.language)}
        </time>
        {comment.resolved && (
          <span className="badge badge-done">{t("plenary.comments.resolvedBadge")}</span>
        )}
      </p>
      {comment.anchor && (
        <PassageQuote
          kind="comment"
          id={comment.id}
          passage={context.passages.get(comment.id)}
          deletedKey="plenary.comments.passageGone"
          onShow={context.onShowPassage}
        />
      )}
      <p className="conf-text-body">{comment.text}</p>
      {replies.length > 0 && (
        <ol
          className="conf-replies"
          aria-label={t("plenary.comments.replies", { count: replies.length })}
        >
          {replies.map((reply) => (
            <li key={reply.id} className="conf-reply" data-comment-id={reply.id}>
              <p className="conf-meta">
                <strong>{authorLabel(reply.author)}</strong> ·{" "}
                <time dateTime={new Date(reply.createdAt).toISOString()}>
                  {formatDateTime(reply.createdAt, i18n.language)}
                </time>
              </p>
              <p className="conf-text-body">{reply.text}</p>
            </li>
          ))}
        </ol>
      )}
      {replying && (
        <ReplyForm
          comment={comment}
          identity={identity}
          session={session}
          onDone={() => setReplying(false)}
        />
      )}
      {(canWrite || mayResolve) && !replying && (
        <div className="form-row conf-actions">
          {canWrite && !comment.resolved && (
            <button type="button" className="btn btn-small" onClick={() => setReplying(true)}>
              {t("plenary.comments.reply")}
            </button>
          )}
          {mayResolve && (
            <button type="button" className="btn btn-small" onClick={toggleResolved}>
              {comment.resolved ? t("plenary.comments.reopen") : t("plenary.comments.resolve")}
            </button>
          )}
        </div>
      )}
    </article>
  );
}

function ReplyForm({
  comment,
  identity,
  session,
  onDone,
}: {
  comment: DraftComment;
  identity: Identity;
  session: CollabSession;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState("");
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const ref = useRef<HTMLTextAreaElement>(null);
  useEffect(() => ref.current?.focus(), []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const signature = signatureOf(identity, session);
    if (!signature) return;
    if (text.trim() === "") {
      setError(t("plenary.comments.empty"));
      return ref.current?.focus();
    }
    addComment(
      session.doc,
      {
        section: comment.section,
        text,
        author: signature.author,
        authorId: signature.authorId,
        parentId: comment.id,
      },
      signature.options,
    );
    onDone();
  };

  return (
    <form className="conf-form" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={id}>{t("plenary.comments.replyLabel")}</label>
        <textarea
          id={id}
          ref={ref}
          rows={2}
          maxLength={MAX_TEXT}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setError(null);
          }}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
        />
        {error && (
          <p id={`${id}-error`} className="field-error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="form-row">
        <button type="submit" className="btn btn-primary btn-small">
          {t("plenary.comments.sendReply")}
        </button>
        <button type="button" className="btn btn-small" onClick={onDone}>
          {t("plenary.cancel")}
        </button>
      </div>
    </form>
  );
}

/** Where a passage field's problem is said, by the outcome of reading it. */
export const PASSAGE_PROBLEMS = {
  missing: "plenary.passage.missing",
  ambiguous: "plenary.passage.ambiguous",
} as const;

function CommentForm({
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
  const [text, setText] = useState("");
  const [words, setWords] = useState(initial.words);
  const [textError, setTextError] = useState<string | null>(null);
  const [passageError, setPassageError] = useState<string | null>(null);
  const ids = { text: useId(), passage: useId(), passageHelp: useId() };
  const textRef = useRef<HTMLTextAreaElement>(null);
  const passageRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    textRef.current?.focus();
    textRef.current?.scrollIntoView({ block: "center" });
  }, []);
  // A passage selected while the form is open takes the field's place (the text typed stays).
  useEffect(() => setWords(initial.words), [initial]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const signature = signatureOf(context.identity, context.session);
    if (!signature) return;
    if (text.trim() === "") {
      setTextError(t("plenary.comments.empty"));
      return textRef.current?.focus();
    }
    const picked = pickPassage(words, initial.passage, runs);
    if (picked.status === "missing" || picked.status === "ambiguous") {
      setPassageError(t(PASSAGE_PROBLEMS[picked.status]));
      return passageRef.current?.focus();
    }
    addComment(
      context.session.doc,
      {
        section,
        text,
        author: signature.author,
        authorId: signature.authorId,
        ...(picked.status === "ok" ? encodePassage(picked) : {}),
      },
      signature.options,
    );
    onDone();
  };

  return (
    <form className="conf-form card" onSubmit={submit} noValidate>
      <div className="field">
        <label htmlFor={ids.passage}>
          {t("plenary.passage.label")} ({t("join.optional")})
        </label>
        <input
          id={ids.passage}
          ref={passageRef}
          value={words}
          onChange={(e) => {
            setWords(e.target.value);
            setPassageError(null);
          }}
          aria-describedby={
            passageError ? `${ids.passageHelp} ${ids.passage}-error` : ids.passageHelp
          }
          aria-invalid={passageError ? true : undefined}
        />
        <p id={ids.passageHelp} className="help">
          {t("plenary.passage.help")}
        </p>
        {passageError && (
          <p id={`${ids.passage}-error`} className="field-error" role="alert">
            {passageError}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={ids.text}>{t("plenary.comments.textLabel")}</label>
        <textarea
          id={ids.text}
          ref={textRef}
          rows={3}
          maxLength={MAX_TEXT}
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            setTextError(null);
          }}
          aria-invalid={textError ? true : undefined}
          aria-describedby={textError ? `${ids.text}-error` : undefined}
        />
        {textError && (
          <p id={`${ids.text}-error`} className="field-error" role="alert">
            {textError}
          </p>
        )}
      </div>
      <p className="hint">
        {context.identity.anonymous
          ? t("plenary.signedAnonymous")
          : t("plenary.signedAs", { name: context.identity.name })}
      </p>
      <div className="form-row">
        <button type="submit" className="btn btn-primary">
          {t("plenary.comments.send")}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          {t("plenary.cancel")}
        </button>
      </div>
    </form>
  );
}
