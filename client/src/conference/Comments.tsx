import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { addComment, mayEditField, setCommentResolved, type DraftComment } from "@percorso/schema";
import type { CollabSession } from "../lib/collab.ts";
import type { Identity } from "../lib/identity.ts";
import { mutationAs } from "../lib/rules.ts";
import type { Writer } from "@percorso/schema";
import { formatDateTime } from "../i18n.ts";
import { encodePassage, pickPassage, type ResolvedPassage } from "./passages.ts";
import { COMMENT_RULE, signatureOf } from "./usePlenary.ts";
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
export function Comments({ comments, ...tab }: SectionTab & { comments: readonly DraftComment[] }) {
  const { t } = useTranslation();
  const { title, context } = tab;
  const threads = comments.filter((comment) => comment.parentId === null);
  const repliesOf = (id: string) => comments.filter((comment) => comment.parentId === id);
  const open = threads.filter((thread) => !thread.resolved);
  const resolved = threads.filter((thread) => thread.resolved);

  return (
    <SectionItems
      tab={tab}
      className="conf-comments"
      Form={CommentForm}
      opener={{ label: t("plenary.comments.new") }}
      open={open}
      closed={resolved}
      none={t("plenary.comments.none", { title })}
      closedSummary={t("plenary.comments.resolved", { count: resolved.length })}
      renderItem={(thread) => (
        <Thread comment={thread} replies={repliesOf(thread.id)} context={context} />
      )}
    />
  );
}

/** The author as shown: their name, or "anonimo". */
export function useAuthorLabel(): (author: string) => string {
  const { t } = useTranslation();
  return (author) => (author.trim() === "" ? t("presence.anonymous") : author);
}

/** When an item was written, as the reader's language writes it. */
export function ItemTime({ at }: { at: number }) {
  const { i18n } = useTranslation();
  return <time dateTime={new Date(at).toISOString()}>{formatDateTime(at, i18n.language)}</time>;
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
  const { t } = useTranslation();
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
        <strong>{authorLabel(comment.author)}</strong> · <ItemTime at={comment.createdAt} />
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
                <strong>{authorLabel(reply.author)}</strong> · <ItemTime at={reply.createdAt} />
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
  const text = useField<HTMLTextAreaElement>("");
  const { ref: textRef } = text;
  useEffect(() => textRef.current?.focus(), [textRef]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const signature = signatureOf(identity, session);
    if (!signature) return;
    if (text.value.trim() === "") return text.fail(t("plenary.comments.empty"));
    addComment(
      session.doc,
      {
        section: comment.section,
        text: text.value,
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
      <TextField
        label={t("plenary.comments.replyLabel")}
        field={text}
        rows={2}
        maxLength={MAX_TEXT}
      />
      <FormActions send={t("plenary.comments.sendReply")} onCancel={onDone} small />
    </form>
  );
}

function CommentForm({ section, runs, context, initial, onDone }: NewItemFormProps) {
  const { t } = useTranslation();
  const text = useField<HTMLTextAreaElement>("");
  const passage = useField<HTMLInputElement>(initial.words);
  const { ref: textRef } = text;
  const { setValue: setWords } = passage;
  useEffect(() => {
    textRef.current?.focus();
    textRef.current?.scrollIntoView({ block: "center" });
  }, [textRef]);
  // A passage selected while the form is open takes the field's place (the text typed stays).
  useEffect(() => setWords(initial.words), [initial, setWords]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const signature = signatureOf(context.identity, context.session);
    if (!signature) return;
    if (text.value.trim() === "") return text.fail(t("plenary.comments.empty"));
    const picked = pickPassage(passage.value, initial.passage, runs);
    if (picked.status === "missing" || picked.status === "ambiguous") {
      return passage.fail(t(PASSAGE_PROBLEMS[picked.status]));
    }
    addComment(
      context.session.doc,
      {
        section,
        text: text.value,
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
      <PassageField
        label={`${t("plenary.passage.label")} (${t("join.optional")})`}
        field={passage}
      />
      <TextField
        label={t("plenary.comments.textLabel")}
        field={text}
        rows={3}
        maxLength={MAX_TEXT}
      />
      <SignedHint identity={context.identity} />
      <FormActions send={t("plenary.comments.send")} onCancel={onDone} />
    </form>
  );
}
