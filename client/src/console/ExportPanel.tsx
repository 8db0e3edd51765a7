import { useState } from "react";
import { useTranslation } from "react-i18next";
import { downloadFile } from "../lib/download.ts";

/** The report's formats, in the order offered: to edit, to file, to publish, to print. */
const FORMATS = ["md", "docx", "html", "pdf"] as const;

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

  const download = async (format: (typeof FORMATS)[number]) => {
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
        {FORMATS.map((format) => (
          <button key={format} type="button" className="btn" onClick={() => void download(format)}>
            {t(`export.${format}`)}
          </button>
        ))}
        <span role="status" className="hint">
          {status}
        </span>
      </div>
    </section>
  );
}
