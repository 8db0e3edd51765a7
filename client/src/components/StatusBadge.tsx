import { useTranslation } from "react-i18next";
import type { SeminarStatus } from "@percorso/schema";

export function StatusBadge({ status }: { status: SeminarStatus }) {
  const { t } = useTranslation();
  return <span className={`badge status-${status}`}>{t(`status.${status}`)}</span>;
}
