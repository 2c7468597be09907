import { randomBytes } from "node:crypto";
import { createAccount, expect, loginThroughForm, test } from "./fixtures";

test("another student neither sees the lab nor opens its console or screen", async ({ page, admin, runningLab }) => {
  const other = await createAccount(admin, "student");
  const { lab } = runningLab;
  await loginThroughForm(page, other);

  await test.step("the lab is not listed", async () => {
    await expect(page.getByText("No labs yet — start one from a template")).toBeVisible();
    await expect(page.locator(`[data-lab-id="${lab.id}"]`)).toHaveCount(0);
  });

  for (const view of ["console", "screen"]) {
    await test.step(`the ${view} page answers that the lab is not theirs`, async () => {
      await page.goto(`/labs/${lab.id}/${view}`);
      await expect(page.getByRole("heading", { name: "Lab not available" })).toBeVisible();
      await expect(page.getByRole("alert")).toHaveText("This lab does not exist or is not yours.");
      await expect(page.getByTestId("terminal")).toHaveCount(0);
      await expect(page.getByTestId("screen")).toHaveCount(0);
    });
  }

  for (const stream of ["console", "vnc"]) {
    await test.step(`the ${stream} websocket is refused before the upgrade`, async () => {
      // With the student's session cookie, as the browser would send it.
      const r = await page.request.get(`/api/v1/labs/${lab.id}/${stream}`, {
        headers: {
          Connection: "Upgrade", Upgrade: "websocket", "Sec-WebSocket-Version": "13",
          "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
        },
        timeout: 15_000,
      });
      expect(r.status()).toBe(404);
      expect((await r.json()).detail).toBeTruthy();
      // And from the page itself: the socket never opens.
      const outcome = await page.evaluate(
        (url) => new Promise<string>((resolve) => {
          const ws = new WebSocket(url);
          ws.onopen = () => { resolve("open"); ws.close(); };
          ws.onclose = (e) => resolve(`closed ${e.code}`);
          setTimeout(() => resolve("timeout"), 10_000);
        }),
        `${new URL(page.url()).origin.replace(/^http/, "ws")}/api/v1/labs/${lab.id}/${stream}`,
      );
      expect(outcome).toBe("closed 1006");
    });
  }
});
