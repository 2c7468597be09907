import { BASE_URL, createAccount, expect, loginThroughForm, test } from "./fixtures";

// The UI holds one EventSource at a time: a refused live feed (here: the account already holds
// its five feeds, so the controller answers 429) reopens from its backoff only, and once the feed
// is allowed again exactly one EventSource is open, however many retry timers had been pending.
// The page's clock is Playwright's, so those timers run when the test says, not after real waits.
test("a refused live feed comes back as one EventSource, never two", async ({ page, admin }) => {
  const student = await createAccount(admin, "student");

  // Counts the EventSources the page holds open (created and neither closed nor failed for good).
  await page.addInitScript(() => {
    const Native = window.EventSource;
    const w = window as unknown as { openSources: number; mostSources: number; createdSources: number };
    w.openSources = 0;
    w.mostSources = 0;
    w.createdSources = 0;
    class Counted extends Native {
      private counted = true;
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        w.createdSources++;
        w.openSources++;
        w.mostSources = Math.max(w.mostSources, w.openSources);
        this.addEventListener("error", () => {
          if (this.readyState === Native.CLOSED) this.release();
        });
      }
      release() {
        if (this.counted) {
          this.counted = false;
          w.openSources--;
        }
      }
      close() {
        this.release();
        super.close();
      }
    }
    window.EventSource = Counted as unknown as typeof EventSource;
  });

  const login = await fetch(`${BASE_URL}/api/v1/auth/login`, {
    method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username: student.username, password: student.password }),
  });
  expect(login.status).toBe(204);
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  const held = new AbortController();
  await test.step("the account holds its five live feeds elsewhere", async () => {
    for (let i = 0; i < 5; i++) {
      const r = await fetch(`${BASE_URL}/api/v1/labs/events`, { headers: { cookie, accept: "text/event-stream" }, signal: held.signal });
      expect(r.status).toBe(200);
    }
  });

  await test.step("the page's feed is refused and says it is reconnecting", async () => {
    await page.clock.install();
    await loginThroughForm(page, student);
    await expect(page.getByText("Reconnecting…")).toBeVisible();
  });

  await test.step("once a place is free, one EventSource is open and the list is live", async () => {
    held.abort();
    // Each poll lets the page's timers run on: its retry reopens the feed once the controller
    // noticed the closed feeds and freed their places.
    await expect.poll(async () => {
      await page.clock.runFor(5_000);
      return page.getByText("Reconnecting…").count();
    }, { timeout: 60_000 }).toBe(0);
    await expect(page.getByText("No labs yet — start one from a template")).toBeVisible();
    await page.clock.runFor(120_000); // every retry timer still pending fires now
    const counts = await page.evaluate(() => {
      const w = window as unknown as { openSources: number; mostSources: number; createdSources: number };
      return { openSources: w.openSources, mostSources: w.mostSources, createdSources: w.createdSources };
    });
    expect(counts.openSources).toBe(1);
    expect(counts.mostSources, `${counts.createdSources} EventSources were created`).toBe(1);
  });
});
