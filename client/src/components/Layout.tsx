import { Link, Outlet, useLocation, useNavigate } from "react-router";
import { useTranslation } from "react-i18next";
import { setLanguage } from "../i18n.ts";
import { forgetIdentity, loadIdentity } from "../lib/identity.ts";

/** Header in the Designers Italia manner (dark blue band, app name), skip link, main landmark. */
export function Layout() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  // Read again on every navigation: signing in or out changes who this device is.
  useLocation();
  const other = i18n.language === "en" ? "it" : "en";
  const identity = loadIdentity();
  const admin = identity?.role === "admin" ? identity : null;
  // An admin's sign-out forgets the admin on this device (the link itself stays valid).
  const signOut = () => {
    if (!admin || !window.confirm(t("signIn.confirmSignOut"))) return;
    forgetIdentity(admin.inviteId);
    void navigate("/", { replace: true });
  };
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
          {admin && (
            <button
              type="button"
              className="btn btn-header"
              aria-label={t("signIn.signOutLabel", { name: admin.name })}
              onClick={signOut}
            >
              {t("signIn.signOut")}
            </button>
          )}
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
