import { Link, Outlet } from "react-router";
import { useTranslation } from "react-i18next";
import { setLanguage } from "../i18n.ts";

/** Header in the Designers Italia manner (dark blue band, app name), skip link, main landmark. */
export function Layout() {
  const { t, i18n } = useTranslation();
  const other = i18n.language === "en" ? "it" : "en";
  return (
    <>
      <a className="skip-link" href="#main">
        {t("app.skip")}
      </a>
      <header className="app-header">
        <div className="container header-row">
          <Link to="/" className="brand">
            {t("app.name")}
          </Link>
          <button
            type="button"
            className="btn btn-header"
            lang={other}
            aria-label={t("app.switchToLabel")}
            onClick={() => setLanguage(other)}
          >
            {t("app.switchTo")}
          </button>
        </div>
      </header>
      <main id="main" className="container" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}
