import { useId, useRef, useState, type ReactNode, type RefObject } from "react";
import { useTranslation } from "react-i18next";
import type * as Y from "yjs";
import type { Identity } from "../lib/identity.ts";
import type { CommentsContext } from "./Comments.tsx";
import type { Passage } from "./passages.ts";

// The parts the plenary's forms share — a new comment, a reply, a new suggestion: the passage
// field, a text field, how the item will be signed, send and cancel. Each field says its problem
// under it, as an alert the field is described by.

/** What the form for a new comment or suggestion of a section gets. */
export interface NewItemFormProps {
  section: string;
  runs: readonly Y.XmlText[];
  context: CommentsContext;
  /** The passage selected when the form was opened, and its words. */
  initial: { passage: Passage | null; words: string };
  onDone: () => void;
}

/** A field of an item's form, as the form holds it. */
export interface Field<E extends HTMLElement> {
  value: string;
  /** Sets the value from outside (a passage selected in the text), not as the reader's edit. */
  setValue: (value: string) => void;
  /** What is wrong with it, said under it until the next edit. */
  error: string | null;
  /** Whether the reader has edited it. */
  edited: RefObject<boolean>;
  ref: RefObject<E | null>;
  onChange: (value: string) => void;
  /** Says what is wrong with the field and puts the reader on it. */
  fail: (message: string) => void;
}

export function useField<E extends HTMLElement>(initial: string): Field<E> {
  const [value, setValue] = useState(initial);
  const [error, setError] = useState<string | null>(null);
  const edited = useRef(false);
  const ref = useRef<E>(null);
  return {
    value,
    setValue,
    error,
    edited,
    ref,
    onChange: (next) => {
      setValue(next);
      edited.current = true;
      setError(null);
    },
    fail: (message) => {
      setError(message);
      ref.current?.focus();
    },
  };
}

/** Where a passage field's problem is said, by the outcome of reading it. */
export const PASSAGE_PROBLEMS = {
  missing: "plenary.passage.missing",
  ambiguous: "plenary.passage.ambiguous",
} as const;

/** The words of the passage an item is on: typed, or filled in by a selection in the text. */
export function PassageField({
  label,
  field,
}: {
  label: ReactNode;
  field: Field<HTMLInputElement>;
}) {
  const { t } = useTranslation();
  const id = useId();
  const helpId = useId();
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        ref={field.ref}
        value={field.value}
        onChange={(e) => field.onChange(e.target.value)}
        aria-describedby={field.error ? `${helpId} ${id}-error` : helpId}
        aria-invalid={field.error ? true : undefined}
      />
      <p id={helpId} className="help">
        {t("plenary.passage.help")}
      </p>
      <FieldError id={`${id}-error`} error={field.error} />
    </div>
  );
}

/** A text of an item's form; `describedBy` names what else describes it (a preview). */
export function TextField({
  label,
  field,
  rows,
  maxLength,
  describedBy,
}: {
  label: string;
  field: Field<HTMLTextAreaElement>;
  rows: number;
  maxLength: number;
  describedBy?: string;
}) {
  const id = useId();
  const errorId = `${id}-error`;
  const description = [describedBy, field.error ? errorId : undefined].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        ref={field.ref}
        rows={rows}
        maxLength={maxLength}
        value={field.value}
        onChange={(e) => field.onChange(e.target.value)}
        aria-invalid={field.error ? true : undefined}
        aria-describedby={description || undefined}
      />
      <FieldError id={errorId} error={field.error} />
    </div>
  );
}

function FieldError({ id, error }: { id: string; error: string | null }) {
  if (!error) return null;
  return (
    <p id={id} className="field-error" role="alert">
      {error}
    </p>
  );
}

/** How the item will be signed: with the person's name, or anonymously. */
export function SignedHint({ identity }: { identity: Identity }) {
  const { t } = useTranslation();
  return (
    <p className="hint">
      {identity.anonymous
        ? t("plenary.signedAnonymous")
        : t("plenary.signedAs", { name: identity.name })}
    </p>
  );
}

/** Send and cancel; `small` for a form inside an item (a reply). */
export function FormActions({
  send,
  onCancel,
  small = false,
}: {
  send: string;
  onCancel: () => void;
  small?: boolean;
}) {
  const { t } = useTranslation();
  const size = small ? " btn-small" : "";
  return (
    <div className="form-row">
      <button type="submit" className={`btn btn-primary${size}`}>
        {send}
      </button>
      <button type="button" className={`btn${size}`} onClick={onCancel}>
        {t("plenary.cancel")}
      </button>
    </div>
  );
}
