import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError, api, type DraftExportFormat, type DraftVersion } from "../lib/api.ts";
import { downloadFile } from "../lib/download.ts";

const FORMATS: { format: DraftExportFormat; key: string }[] = [
  { format: "docx", key: "exports.docx" },
  { format: "pdf", key: "exports.pdf" },
  { format: "html", key: "exports.html" },
  { format: "md", key: "exports.markdown" },
];

/**
 * The orientation document as files a regional office can file (server-side exports): Word,
 * PDF, HTML, Markdown, of the draft as it is now or as a saved version was.
 */
export function ExportsPanel({
  token,
  programmeId,
  versions,
}: {
  token: string;
  programmeId: string;
  versions: readonly DraftVersion[];
}) {
  const { t } = useTranslation();
  const [version, setVersion] = useState("");
  const [status, setStatus] = useState<{ ok: boolean; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const selectId = useId();
  const chosen = versions.some((v) => v.id === version) ? version : "";

  const download = async (format: DraftExportFormat) => {
    setBusy(true);
    setStatus({ ok: true, message: t("exports.preparing") });
    try {
      const path = api.draftExportPath(programmeId, format, chosen || undefined);
      const name = await downloadFile(token, path);
      setStatus({ ok: true, message: t("exports.done", { name }) });
    } catch (failure) {
      const missing = failure instanceof ApiError && failure.status === 404;
      setStatus({ ok: false, message: t(missing ? "exports.missing" : "exports.error") });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="exports" aria-labelledby="exports-title">
      <h2 id="exports-title" className="panel-heading">
        {t("exports.heading")}
      </h2>
      <p className="muted">{t("exports.intro")}</p>
      <div className="field">
        <label htmlFor={selectId}>{t("exports.which")}</label>
        <select id={selectId} value={chosen} onChange={(e) => setVersion(e.target.value)}>
          <option value="">{t("exports.now")}</option>
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              {t("exports.version", { label: v.label })}
            </option>
          ))}
        </select>
      </div>
      <div className="form-row export-buttons">
        {FORMATS.map(({ format, key }) => (
          <button
            key={format}
            type="button"
            className="btn btn-small"
            disabled={busy}
            onClick={() => void download(format)}
          >
            {t(key)}
          </button>
        ))}
      </div>
      <p role="status" className={status && !status.ok ? "field-error" : "hint"}>
        {status?.message ?? ""}
      </p>
    </section>
  );
}
