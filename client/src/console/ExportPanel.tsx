import { useState } from "react";
import { useTranslation } from "react-i18next";
import { downloadFile } from "../lib/download.ts";

/** The seminar's report — questions, visible answers with votes and tags, the text — as files. */
export function ExportPanel({
  token,
  programmeId,
  seminarId,
}: {
  token: string;
  programmeId: string;
  seminarId: string;
}) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<string>("");

  const download = async (format: "md" | "docx") => {
    setStatus(t("export.preparing"));
    try {
      const path = `/api/programmes/${encodeURIComponent(programmeId)}/seminars/${encodeURIComponent(seminarId)}/report.${format}`;
      const name = await downloadFile(token, path);
      setStatus(t("export.done", { name }));
    } catch {
      setStatus(t("export.error"));
    }
  };

  return (
    <section className="card console-panel" aria-labelledby="export-title">
      <h2 id="export-title">{t("export.heading")}</h2>
      <p className="muted">{t("export.intro")}</p>
      <div className="form-row">
        <button type="button" className="btn" onClick={() => void download("md")}>
          {t("export.markdown")}
        </button>
        <button type="button" className="btn" onClick={() => void download("docx")}>
          {t("export.docx")}
        </button>
        <span role="status" className="hint">
          {status}
        </span>
      </div>
    </section>
  );
}
