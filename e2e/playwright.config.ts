import { defineConfig } from "@playwright/test";

// Run through scripts/e2e.sh, which starts the packaged controller and sets these variables.
const baseURL = process.env.LAB_E2E_BASE_URL ?? "http://127.0.0.1:8080";

export default defineConfig({
  testDir: "./tests",
  // One browser at a time: the machine has two cores and each lab is a QEMU VM (TCG).
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 240_000,
  expect: { timeout: 15_000 },
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL,
    viewport: { width: 1280, height: 800 },
    actionTimeout: 15_000,
    navigationTimeout: 30_000,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      // Debian's chromium; Playwright's own browser download is not used (PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1).
      executablePath: process.env.LAB_E2E_CHROMIUM ?? "/usr/bin/chromium",
      headless: true,
      args: [
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--disable-quic", "--no-first-run",
      ],
    },
  },
});
