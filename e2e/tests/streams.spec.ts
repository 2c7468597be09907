import type { Page } from "@playwright/test";
import { canvasColours, consoleRows, expect, loginThroughForm, test, unique } from "./fixtures";

/** Records how each websocket of the page ended (code and reason), which Playwright does not report. */
async function recordWebSocketCloses(page: Page) {
  await page.addInitScript(() => {
    const Native = window.WebSocket;
    const w = window as unknown as { wsCloses: { url: string; code: number; reason: string }[] };
    w.wsCloses = [];
    class Recorded extends Native {
      constructor(url: string | URL, protocols?: string | string[]) {
        super(url, protocols);
        this.addEventListener("close", (e) => w.wsCloses.push({ url: String(url), code: e.code, reason: e.reason }));
      }
    }
    window.WebSocket = Recorded as unknown as typeof WebSocket;
  });
}

async function wsCloses(page: Page): Promise<{ url: string; code: number; reason: string }[]> {
  return page.evaluate(() => (window as unknown as { wsCloses: { url: string; code: number; reason: string }[] }).wsCloses);
}

async function typeLine(page: Page, line: string) {
  await page.getByTestId("terminal").click();
  await page.keyboard.type(line);
  await page.keyboard.press("Enter");
}

// Only KubeVirt takes a screen over (QEMU shares it), so the take-over is played by Playwright: the
// first screen websocket is closed by the test with 4104 once it is open, as the controller closes
// the previous viewer's stream; later ones go through to the controller untouched.
test("a screen taken over by another viewer stays closed until the user takes it back", async ({ page, runningLab }) => {
  const { owner, lab } = runningLab;
  let dials = 0;
  await page.routeWebSocket(/\/api\/v1\/labs\/[^/]+\/vnc$/, (ws) => {
    const dial = ++dials;
    const server = ws.connectToServer();
    if (dial > 1) return;
    // The first dial is taken over once the screen spoke (RFB's version): the page's side closes
    // with 4104 and the controller's side goes away, as when another viewer opens the screen.
    server.onMessage((message) => {
      ws.send(message);
      ws.close({ code: 4104, reason: "Another viewer (someone-else) opened this lab's screen" });
      server.close();
    });
  });
  // NOTE: Playwright's stand-in WebSocket keeps some members on a base class, while noVNC checks
  // a raw channel's own prototype for them: copy them down so that noVNC takes the routed socket.
  await page.addInitScript(() => {
    const proto = window.WebSocket.prototype;
    for (const name of ["send", "close", "binaryType", "onerror", "onmessage", "onopen", "onclose", "protocol", "readyState"]) {
      if (Object.getOwnPropertyNames(proto).includes(name)) continue;
      for (let p = Object.getPrototypeOf(proto); p; p = Object.getPrototypeOf(p)) {
        const d = Object.getOwnPropertyDescriptor(p, name);
        if (d) {
          Object.defineProperty(proto, name, d);
          break;
        }
      }
    }
  });
  await loginThroughForm(page, owner);
  await page.goto(`/labs/${lab.id}/screen`);

  await test.step("says in words that another viewer took the screen over, and why", async () => {
    await expect(page.getByTestId("screen-status")).toContainText("Another viewer took this screen over");
    await expect(page.getByTestId("screen-status")).toContainText("someone-else");
    await expect(page.getByRole("button", { name: "Take it back" })).toBeVisible();
  });

  await test.step("does not reconnect by itself", async () => {
    // The automatic backoff starts at one second: five seconds would have seen at least two dials.
    await page.waitForTimeout(5_000);
    expect(dials).toBe(1);
    await expect(page.getByTestId("screen-status")).toContainText("Another viewer took this screen over");
  });

  await test.step("\"Take it back\" reconnects once", async () => {
    await page.getByRole("button", { name: "Take it back" }).click();
    await expect(page.getByTestId("screen-status")).toHaveText("Connected");
    await expect.poll(async () => (await canvasColours(page)).colours, { timeout: 60_000 }).toBeGreaterThan(1);
    expect(dials).toBe(2);
  });
});

test("two tabs share a console through a large paste, and a revoked tab is told why", async ({ browser, runningLab }) => {
  const { owner, lab } = runningLab;
  const context = await browser.newContext();
  try {
    const first = await context.newPage();
    const second = await context.newPage();
    await recordWebSocketCloses(first);
    await recordWebSocketCloses(second);
    await loginThroughForm(first, owner);
    for (const page of [first, second]) {
      await page.goto(`/labs/${lab.id}/console`);
      await expect(page.getByTestId("console-status")).toHaveText("Connected");
    }

    await test.step("one tab pastes 200 KB; both tabs still run and see commands", async () => {
      await first.getByTestId("terminal").click();
      await first.keyboard.insertText("x".repeat(200 * 1024));
      // The paste is far longer than a terminal line: Ctrl-C from the other tab drops it.
      await second.getByTestId("terminal").click();
      await second.keyboard.press("Control+C");
      for (const [typist, word] of [[second, unique("second")], [first, unique("first")]] as const) {
        await expect(typist.getByTestId("console-status")).toHaveText("Connected");
        await typeLine(typist, `echo ${word}`);
        for (const page of [first, second]) {
          await expect.poll(async () => (await consoleRows(page)).map((r) => r.trim()), { timeout: 120_000 }).toContain(word);
        }
      }
      for (const page of [first, second]) await expect(page.getByTestId("console-status")).toHaveText("Connected");
    });

    await test.step("logging out in one tab ends the other's feed and console, in words", async () => {
      await first.getByRole("button", { name: "Log out" }).click();
      await expect(first).toHaveURL(/\/login(\?|$)/);
      await expect(second.getByText("Your session ended. Log in again to continue.")).toBeVisible({ timeout: 90_000 });
      await expect(second).toHaveURL(/\/login(\?|$)/);
      // The console ended with the page (no status line stays to show) and was not reopened.
      const consoles = (await wsCloses(second)).filter((c) => c.url.endsWith("/console"));
      expect(consoles.length).toBeGreaterThan(0);
      expect(await second.getByTestId("terminal").count()).toBe(0);
    });
  } finally {
    await context.close();
  }
});
