import { Route, Routes } from "react-router";
import { Layout } from "./components/Layout.tsx";
import { Overview } from "./pages/Overview.tsx";
import { Join } from "./pages/Join.tsx";
import { Room } from "./pages/Room.tsx";
import { NotFound } from "./pages/NotFound.tsx";

export function App() {
  return (
    <Routes>
      <Route element={<Layout />}>
        <Route index element={<Overview />} />
        <Route path="join" element={<Join />} />
        <Route path="seminari/:seminarId" element={<Room />} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}
