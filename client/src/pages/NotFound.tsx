import { Link } from "react-router";
import { useTranslation } from "react-i18next";

export function NotFound() {
  const { t } = useTranslation();
  return <Notice title={t("notFound.title")} body={t("notFound.body")} />;
}

/** A full-page message (bad link, missing seminar…) with a way back. */
export function Notice({
  title,
  body,
  children,
}: {
  title: string;
  body: string;
  children?: React.ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <section className="notice" aria-labelledby="notice-title">
      <h1 id="notice-title">{title}</h1>
      <p>{body}</p>
      {children}
      <p>
        <Link to="/">{t("app.home")}</Link>
      </p>
    </section>
  );
}

/** A load that failed (network, server down): says so and offers to try again. */
export function LoadError({ retry }: { retry: () => void }) {
  const { t } = useTranslation();
  return (
    <div role="alert" className="alert">
      <p>{t("overview.loadError")}</p>
      <button type="button" className="btn" onClick={retry}>
        {t("app.retry")}
      </button>
    </div>
  );
}
