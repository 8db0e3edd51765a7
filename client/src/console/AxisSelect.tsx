import { useTranslation } from "react-i18next";
import { CLUSTER_AXES, type ClusterAxis } from "@percorso/schema";

/** The two axes of the brief: a new theme, or a governance process or method. */
export function AxisSelect({
  id,
  value,
  onChange,
}: {
  id: string;
  value: ClusterAxis;
  onChange: (axis: ClusterAxis) => void;
}) {
  const { t } = useTranslation();
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as ClusterAxis)}>
      {CLUSTER_AXES.map((axis) => (
        <option key={axis} value={axis}>
          {t(`harvest.axes.${axis}`)}
        </option>
      ))}
    </select>
  );
}
