import { defineConfig, type ProxyOptions } from "vite";

// The UI is served by the controller itself (Quinoa copies dist/ into the application). For UI
// work, `npm run dev` serves it with hot reload and proxies the API and the console/screen
// websockets to a controller (LAB_CONTROLLER_URL, default http://localhost:8080). The controller
// refuses cookie-authenticated writes and streams from a foreign Origin, so the proxy presents
// the controller's own origin.
const controller = process.env.LAB_CONTROLLER_URL ?? "http://localhost:8080";
const toController: ProxyOptions = {
  target: controller,
  changeOrigin: true,
  ws: true,
  configure: (proxy) => {
    proxy.on("proxyReq", (req) => {
      if (req.getHeader("origin")) req.setHeader("origin", controller);
    });
    proxy.on("proxyReqWs", (req) => {
      if (req.getHeader("origin")) req.setHeader("origin", controller);
    });
  },
};

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
    proxy: { "/api": toController, "/q": { target: controller, changeOrigin: true } },
  },
});
