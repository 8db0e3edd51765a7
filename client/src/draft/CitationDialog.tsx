import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import * as Dialog from "@radix-ui/react-dialog";
import { ACTOR_KINDS } from "@percorso/schema";
import { ApiError, api } from "../lib/api.ts";
import { useAsync } from "../lib/useAsync.ts";
import { formatDate, formatDateTime } from "../i18n.ts";
import type { Citation } from "../editor/AnswerRef.ts";

/**
 * A citation of the draft followed back to what a participant said (issue 9): the question,
 * the answer, its votes, the seminar, the author or "anonimo" and the kind of actor, and the way
 * to the answer in the seminar room. A side sheet on a desk, the whole screen on a phone.
 */
export function CitationDialog({
  token,
  programmeId,
  citation,
  onClose,
}: {
  token: string;
  programmeId: string;
  citation: Citation;
  onClose: () => void;
}) {
  const { t, i18n } = useTranslation();
  const { state, reload } = useAsync(
    () => api.citedAnswer(token, programmeId, citation.answerId, citation.seminarId),
    [token, programmeId, citation.answerId, citation.seminarId],
  );
  const actor = (kind: string | null) =>
    kind !== null && (ACTOR_KINDS as readonly string[]).includes(kind)
      ? t(`actor.${kind}`)
      : t("citation.actorUnknown");

  return (
    <Dialog.Root open onOpenChange={(open) => !open && onClose()}>
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog dialog-sheet citation-dialog">
          <p className="eyebrow">{t("citation.eyebrow")}</p>
          <Dialog.Title>{t("citation.title")}</Dialog.Title>
          <Dialog.Description className="muted">«{citation.label}»</Dialog.Description>
          {state.status === "loading" ? (
            <p role="status">{t("citation.loading")}</p>
          ) : state.status === "error" ? (
            <div className="alert" role="alert">
              <p>
                {state.error instanceof ApiError && state.error.status === 404
                  ? t("citation.missing")
                  : t("citation.error")}
              </p>
              {!(state.error instanceof ApiError && state.error.status === 404) && (
                <button type="button" className="btn" onClick={reload}>
                  {t("app.retry")}
                </button>
              )}
            </div>
          ) : (
            (() => {
              const { answer, question, seminar, link } = state.value;
              return (
                <div className="citation-body">
                  <p className="citation-seminar">
                    {t("room.seminar", { number: seminar.number })} · {seminar.title} ·{" "}
                    <time dateTime={seminar.date}>{formatDate(seminar.date, i18n.language)}</time>
                  </p>
                  <h3 className="small-heading">{t("citation.question")}</h3>
                  <p className="citation-question">
                    {question ? question.text : t("citation.noQuestion")}
                  </p>
                  <h3 className="small-heading">{t("citation.answer")}</h3>
                  <blockquote className="citation-answer">{answer.text}</blockquote>
                  {answer.moderation && (
                    <p className="alert alert-warning">
                      {t(
                        answer.moderation === "hidden"
                          ? "citation.hidden"
                          : "citation.mergedAnswer",
                      )}
                    </p>
                  )}
                  <dl className="citation-facts">
                    <div>
                      <dt>{t("citation.author")}</dt>
                      <dd>
                        {answer.anonymous || !answer.author
                          ? t("presence.anonymous")
                          : answer.author}
                      </dd>
                    </div>
                    <div>
                      <dt>{t("citation.actor")}</dt>
                      <dd>{actor(answer.actorKind)}</dd>
                    </div>
                    <div>
                      <dt>{t("citation.votes")}</dt>
                      <dd>{t("questions.votes", { count: answer.votes })}</dd>
                    </div>
                    <div>
                      <dt>{t("citation.written")}</dt>
                      <dd>{formatDateTime(answer.createdAt, i18n.language)}</dd>
                    </div>
                  </dl>
                  <p>
                    <Link className="btn btn-primary" to={link}>
                      {t("citation.goTo")}
                    </Link>
                  </p>
                </div>
              );
            })()
          )}
          <div className="form-row end">
            <Dialog.Close className="btn">{t("editor.close")}</Dialog.Close>
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
