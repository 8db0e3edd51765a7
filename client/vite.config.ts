import { defineConfig } from "vite";
import react from "@vitejs/plugin-react";
import { VitePWA } from "vite-plugin-pwa";

/** Dev mode (`npm run dev -w @percorso/client`) proxies the API and websockets to `npm start`'s server. */
const server = process.env.PERCORSO_SERVER ?? "http://localhost:8080";

export default defineConfig({
  plugins: [
    react(),
    // A service worker (Workbox) keeps the app shell on the device, so a room reloaded while
    // the Wi-Fi is down still opens; the text itself comes from IndexedDB (y-indexeddb).
    VitePWA({
      registerType: "autoUpdate",
      injectRegister: "script-defer",
      manifest: false,
      workbox: {
        globPatterns: ["**/*.{js,css,html,woff2}"],
        navigateFallback: "/index.html",
        navigateFallbackDenylist: [/^\/api\//, /^\/collab\//, /^\/i\//, /^\/healthz/, /^\/metrics/],
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        cleanupOutdatedCaches: true,
      },
    }),
  ],
  server: {
    proxy: {
      "/api": server,
      "/collab": { target: server.replace(/^http/, "ws"), ws: true },
    },
  },
  build: { outDir: "dist", sourcemap: true, chunkSizeWarningLimit: 1500 },
});
