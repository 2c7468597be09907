import { defineConfig } from "vite";

// The UI is served by the controller itself (Quinoa copies dist/ into the application); in
// development `npm run dev` proxies the API and the console/screen websockets to a controller on
// :8080, so cookies and the same-origin checks behave as in production.
export default defineConfig({
  esbuild: { jsx: "automatic", jsxImportSource: "preact" },
  build: {
    outDir: "dist",
    // noVNC uses top-level await (core/util/browser.js).
    target: "es2022",
    chunkSizeWarningLimit: 1024,
  },
  optimizeDeps: { esbuildOptions: { target: "es2022" } },
  server: {
    proxy: {
      "/api": { target: "http://localhost:8080", ws: true, changeOrigin: true },
      "/q": { target: "http://localhost:8080" },
    },
  },
});
