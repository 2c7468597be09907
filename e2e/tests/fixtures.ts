// Accounts and labs made through the API, and the few browser steps every test shares.
import { expect, request as playwrightRequest, test as base, type APIRequestContext, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { join } from "node:path";

export const BASE_URL = process.env.LAB_E2E_BASE_URL ?? "http://127.0.0.1:8080";
const ADMIN_PASSWORD = process.env.LAB_E2E_ADMIN_PASSWORD ?? "";
/** How long a demo lab may take from Pending to Running under TCG on a busy machine. */
export const BOOT_TIMEOUT = 150_000;

export interface Account { username: string; password: string; role: string }
export interface Lab { id: string; state: string; ownerId: string }

export function unique(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString("hex")}`;
}

/** An API session logged in with the given account (cookie kept in the context). */
export async function apiAs(account: { username: string; password: string }): Promise<APIRequestContext> {
  const ctx = await playwrightRequest.newContext({ baseURL: BASE_URL });
  const r = await ctx.post("/api/v1/auth/login", { data: { username: account.username, password: account.password } });
  expect(r.status(), `login of ${account.username}`).toBe(204);
  return ctx;
}

export async function createAccount(admin: APIRequestContext, role: "student" | "instructor" | "admin"): Promise<Account> {
  const account = { username: unique(role), password: `pw-${randomBytes(9).toString("hex")}`, role };
  const r = await admin.post("/api/v1/users", { data: account });
  expect(r.status(), await r.text()).toBe(201);
  return account;
}

export async function demoTemplateId(api: APIRequestContext): Promise<string> {
  const r = await api.get("/api/v1/templates");
  expect(r.ok()).toBeTruthy();
  const demo = (await r.json()).items.find((t: { name: string }) => t.name === "demo");
  expect(demo, "the demo template").toBeTruthy();
  return demo.id;
}

export async function waitForState(api: APIRequestContext, labId: string, state: string, timeout = BOOT_TIMEOUT): Promise<void> {
  await expect
    .poll(async () => (await (await api.get(`/api/v1/labs/${labId}`)).json()).state, { timeout, intervals: [500, 1000] })
    .toBe(state);
}

export async function loginThroughForm(page: Page, account: { username: string; password: string }) {
  await page.goto("/login");
  await page.getByLabel("Username").fill(account.username);
  await page.getByLabel("Password").fill(account.password);
  await page.getByRole("button", { name: "Log in" }).click();
  await expect(page.getByRole("button", { name: "Log out" })).toBeVisible();
}

/** Saves a screenshot for the README into docs/screenshots/NAME.png. */
export async function shoot(page: Page, name: string) {
  const dir = join(__dirname, "..", "..", "docs", "screenshots");
  mkdirSync(dir, { recursive: true });
  // Let the live list and fonts settle; the blinking cursor is hidden for a stable picture.
  await page.addStyleTag({ content: ".xterm-cursor-layer, .xterm-cursor { visibility: hidden !important; }" }).catch(() => {});
  await page.screenshot({ path: join(dir, `${name}.png`), fullPage: false });
}

/** The rows of the console as text, one entry per terminal row. */
export async function consoleRows(page: Page): Promise<string[]> {
  return page.locator('[data-testid="terminal"] .xterm-rows > div').allTextContents();
}

/** Distinct colours among the noVNC canvas's pixels (up to 16), with its size. */
export async function canvasColours(page: Page): Promise<{ width: number; height: number; colours: number }> {
  return page.evaluate(() => {
    const canvas = document.querySelector('[data-testid="screen"] canvas') as HTMLCanvasElement | null;
    if (!canvas || canvas.width === 0 || canvas.height === 0) return { width: 0, height: 0, colours: 0 };
    const data = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height).data;
    const seen = new Set<number>();
    for (let i = 0; i < data.length && seen.size < 16; i += 4) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
    return { width: canvas.width, height: canvas.height, colours: seen.size };
  });
}

interface WorkerFixtures {
  admin: APIRequestContext;
  /** A student with a running demo lab, made through the API (shared by the tests of a worker). */
  runningLab: { owner: Account; lab: Lab };
}

export const test = base.extend<{}, WorkerFixtures>({
  admin: [
    async ({}, use) => {
      expect(ADMIN_PASSWORD, "LAB_E2E_ADMIN_PASSWORD (set by scripts/e2e.sh)").not.toBe("");
      const ctx = await apiAs({ username: "admin", password: ADMIN_PASSWORD });
      await use(ctx);
      await ctx.dispose();
    },
    { scope: "worker" },
  ],
  runningLab: [
    async ({ admin }, use) => {
      const owner = await createAccount(admin, "student");
      const api = await apiAs(owner);
      const r = await api.post("/api/v1/labs", { data: { templateId: await demoTemplateId(api) } });
      expect(r.status(), await r.text()).toBe(201);
      const lab: Lab = await r.json();
      await waitForState(api, lab.id, "Running");
      await use({ owner, lab });
      await api.delete(`/api/v1/labs/${lab.id}`);
      await api.dispose();
    },
    { scope: "worker", timeout: BOOT_TIMEOUT + 30_000 },
  ],
});

export { expect };
export const ADMIN = () => ({ username: "admin", password: ADMIN_PASSWORD });
