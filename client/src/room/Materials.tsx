import { useId, useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import * as Dialog from "@radix-ui/react-dialog";
import type * as Y from "yjs";
import {
  MATERIAL_KINDS,
  addMaterial,
  editMaterial,
  listMaterials,
  removeMaterial,
  type Material,
  seminarRoots,
  type MaterialKind,
  type Writer,
} from "@percorso/schema";
import { materialControls } from "../lib/rules.ts";
import { useYRead } from "../lib/useY.ts";

/**
 * Phase 1: case studies, experiences, theory; filter by kind; participants may propose one.
 * A material is signed by whoever proposed it, who may edit or remove it, as may facilitators.
 */
export function Materials({
  doc,
  writer,
  writable,
}: {
  doc: Y.Doc;
  writer: Writer;
  /** The role may write materials now (root table, seminar not closed). */
  writable: boolean;
}) {
  const { t } = useTranslation();
  const roots = useMemo(() => seminarRoots(doc), [doc]);
  const all = useYRead(roots.materials, () => listMaterials(doc));
  const [filter, setFilter] = useState<MaterialKind | "all">("all");
  const shown = filter === "all" ? all : all.filter((m) => m.kind === filter);

  return (
    <section aria-labelledby="materials-title">
      <div className="section-head">
        <div>
          <h2 id="materials-title">{t("materials.heading")}</h2>
          <p className="muted">{t("materials.intro")}</p>
        </div>
        {writable && writer.userId !== null && <MaterialDialog doc={doc} writer={writer} />}
      </div>
      <fieldset className="filter">
        <legend>{t("materials.filter")}</legend>
        {(["all", ...MATERIAL_KINDS] as const).map((kind) => (
          <label key={kind} className={`chip${filter === kind ? " active" : ""}`}>
            <input
              type="radio"
              name="material-kind"
              value={kind}
              checked={filter === kind}
              onChange={() => setFilter(kind)}
            />
            {kind === "all" ? t("materials.all") : t(`materials.kinds.${kind}`)}
          </label>
        ))}
      </fieldset>
      {shown.length === 0 ? (
        <p className="empty">
          {all.length === 0 ? t("materials.empty") : t("materials.emptyFiltered")}
        </p>
      ) : (
        <ul className="material-list">
          {shown.map((material) => (
            <MaterialCard
              key={material.id}
              doc={doc}
              material={material}
              writer={writer}
              writable={writable}
            />
          ))}
        </ul>
      )}
    </section>
  );
}

function MaterialCard({
  doc,
  material,
  writer,
  writable,
}: {
  doc: Y.Doc;
  material: Material;
  writer: Writer;
  writable: boolean;
}) {
  const { t } = useTranslation();
  const controls = materialControls(material.addedById, writer, writable);
  return (
    <li className="card material-card">
      <span className={`badge kind-${material.kind}`}>{t(`materials.kinds.${material.kind}`)}</span>
      <h3>{material.title}</h3>
      {material.summary && <p>{material.summary}</p>}
      <p className="muted">
        {material.addedBy && t("materials.addedBy", { name: material.addedBy })}
        {material.url && (
          <>
            {" · "}
            <a href={material.url} target="_blank" rel="noreferrer noopener">
              {t("materials.open")}
              <span className="visually-hidden">: {material.title}</span>
            </a>
          </>
        )}
      </p>
      {(controls.edit || controls.remove) && (
        <div className="form-row">
          {controls.edit && <MaterialDialog doc={doc} writer={writer} material={material} />}
          {controls.remove && (
            <button
              type="button"
              className="btn btn-small btn-danger"
              aria-label={t("materials.removeLabel", { title: material.title })}
              onClick={() => {
                if (window.confirm(t("materials.confirmRemove"))) removeMaterial(doc, material.id);
              }}
            >
              {t("console.remove")}
            </button>
          )}
        </div>
      )}
    </li>
  );
}

/** Proposes a new material, or edits `material` when given. */
function MaterialDialog({
  doc,
  writer,
  material,
}: {
  doc: Y.Doc;
  writer: Writer;
  material?: Material;
}) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [title, setTitle] = useState(material?.title ?? "");
  const [kind, setKind] = useState<MaterialKind>(material?.kind ?? "case-study");
  const [url, setUrl] = useState(material?.url ?? "");
  const [summary, setSummary] = useState(material?.summary ?? "");
  const [error, setError] = useState<string | null>(null);
  const ids = { title: useId(), kind: useId(), url: useId(), summary: useId(), error: useId() };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (title.trim() === "") return setError(t("materials.titleRequired"));
    if (url.trim() !== "" && !/^https?:\/\//i.test(url.trim()))
      return setError(t("materials.urlInvalid"));
    if (material) {
      editMaterial(doc, material.id, { kind, title, url, summary });
    } else {
      // Signed with the person's user id and the exact name they joined with.
      addMaterial(doc, {
        kind,
        title,
        url,
        summary,
        addedBy: writer.name,
        addedById: writer.userId ?? "",
      });
      setTitle("");
      setUrl("");
      setSummary("");
    }
    setError(null);
    setOpen(false);
  };

  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      {material ? (
        <Dialog.Trigger
          className="btn btn-small"
          aria-label={t("materials.editLabel", { title: material.title })}
        >
          {t("console.edit")}
        </Dialog.Trigger>
      ) : (
        <Dialog.Trigger className="btn btn-primary">{t("materials.propose")}</Dialog.Trigger>
      )}
      <Dialog.Portal>
        <Dialog.Overlay className="dialog-overlay" />
        <Dialog.Content className="dialog" aria-describedby={undefined}>
          <Dialog.Title>{material ? t("materials.edit") : t("materials.propose")}</Dialog.Title>
          <form onSubmit={submit} noValidate>
            <div className="field">
              <label htmlFor={ids.title}>{t("materials.title")}</label>
              <input
                id={ids.title}
                value={title}
                onChange={(e) => setTitle(e.target.value)}
                required
                maxLength={200}
              />
            </div>
            <div className="field">
              <label htmlFor={ids.kind}>{t("materials.kind")}</label>
              <select
                id={ids.kind}
                value={kind}
                onChange={(e) => setKind(e.target.value as MaterialKind)}
              >
                {MATERIAL_KINDS.map((k) => (
                  <option key={k} value={k}>
                    {t(`materials.kinds.${k}`)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={ids.url}>{t("materials.url")}</label>
              <input
                id={ids.url}
                type="url"
                inputMode="url"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor={ids.summary}>{t("materials.summary")}</label>
              <textarea
                id={ids.summary}
                rows={3}
                value={summary}
                onChange={(e) => setSummary(e.target.value)}
                maxLength={2000}
              />
            </div>
            {!material && (
              <p className="help">
                {writer.name
                  ? t("materials.signedNote", { name: writer.name })
                  : t("materials.unsignedNote")}
              </p>
            )}
            {error && (
              <p id={ids.error} className="field-error" role="alert">
                {error}
              </p>
            )}
            <div className="form-row end">
              <Dialog.Close className="btn">{t("materials.cancel")}</Dialog.Close>
              <button type="submit" className="btn btn-primary">
                {material ? t("console.save") : t("materials.add")}
              </button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
