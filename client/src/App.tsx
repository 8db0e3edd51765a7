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
const AdminSignIn = lazy(() =>
  import("./pages/AdminSignIn.tsx").then((m) => ({ default: m.AdminSignIn })),
);
const AdminDesk = lazy(() =>
  import("./pages/AdminDesk.tsx").then((m) => ({ default: m.AdminDesk })),
);
// The drafting desk carries the editor with tables: its own chunk too.
const Draft = lazy(() => import("./pages/Draft.tsx").then((m) => ({ default: m.Draft })));
const DraftRedirect = lazy(() =>
  import("./pages/Draft.tsx").then((m) => ({ default: m.DraftRedirect })),
);

// The plenary conference: participants' phones load the conference view alone.
const ConferenceView = lazy(() =>
  import("./pages/ConferenceView.tsx").then((m) => ({ default: m.ConferenceView })),
);
const Outcomes = lazy(() => import("./pages/Outcomes.tsx").then((m) => ({ default: m.Outcomes })));
const PlenaryScreen = lazy(() =>
  import("./pages/PlenaryScreen.tsx").then((m) => ({ default: m.PlenaryScreen })),
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
        <Route path="programmi/:programmeId/plenaria" element={<PlenaryScreen />} />
        <Route element={<Layout />}>
          <Route index element={<Overview />} />
          <Route path="join" element={<Join />} />
          <Route path="seminari/:seminarId" element={<Room />} />
          <Route path="seminari/:seminarId/console" element={<Console />} />
          <Route path="admin" element={<Admin />} />
          <Route path="admin/accesso" element={<AdminSignIn />} />
          <Route path="programmi/:programmeId/admin" element={<AdminDesk />} />
          <Route path="bozza" element={<DraftRedirect />} />
          <Route path="programmi/:programmeId/bozza" element={<Draft />} />
          <Route path="programmi/:programmeId/conferenza" element={<ConferenceView />} />
          <Route path="programmi/:programmeId/esito" element={<Outcomes />} />
          <Route path="*" element={<NotFound />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
