import { lazy, Suspense } from "react";
import { Route, Routes } from "react-router";
import { useTranslation } from "react-i18next";
import { Layout } from "./components/Layout.tsx";
import { Overview } from "./pages/Overview.tsx";
import { Join } from "./pages/Join.tsx";
import { Room } from "./pages/Room.tsx";
import { NotFound } from "./pages/NotFound.tsx";

// Facilitators' and admins' pages load on demand: participants' phones never download them.
const Console = lazy(() => import("./pages/Console.tsx").then((m) => ({ default: m.Console })));
const Screen = lazy(() => import("./pages/Screen.tsx").then((m) => ({ default: m.Screen })));
const Admin = lazy(() => import("./pages/Admin.tsx").then((m) => ({ default: m.Admin })));
// The drafting desk carries the editor with tables: its own chunk too.
const Draft = lazy(() => import("./pages/Draft.tsx").then((m) => ({ default: m.Draft })));
const DraftRedirect = lazy(() =>
  import("./pages/Draft.tsx").then((m) => ({ default: m.DraftRedirect })),
);

function Loading() {
  const { t } = useTranslation();
  return <p role="status">{t("app.loading")}</p>;
}

export function App() {
  return (
    <Suspense fallback={<Loading />}>
      <Routes>
        <Route path="seminari/:seminarId/screen" element={<Screen />} />
        <Route element={<Layout />}>
          <Route index element={<Overview />} />
          <Route path="join" element={<Join />} />
          <Route path="seminari/:seminarId" element={<Room />} />
          <Route path="seminari/:seminarId/console" element={<Console />} />
          <Route path="admin" element={<Admin />} />
          <Route path="bozza" element={<DraftRedirect />} />
          <Route path="programmi/:programmeId/bozza" element={<Draft />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
