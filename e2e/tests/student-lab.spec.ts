import { BOOT_TIMEOUT, canvasColours, consoleRows, createAccount, expect, loginThroughForm, shoot, test, unique } from "./fixtures";

test("a student logs in, starts the demo lab and uses its console and screen", async ({ page, admin }) => {
  const student = await createAccount(admin, "student");

  await test.step("a wrong password is refused with the controller's words", async () => {
    await page.goto("/");
    await expect(page).toHaveURL(/\/login$/);
    await expect(page.getByRole("heading", { name: "Lab Controller" })).toBeVisible();
    await shoot(page, "login");
    await page.getByLabel("Username").fill(student.username);
    await page.getByLabel("Password").fill("not-the-password");
    await page.getByRole("button", { name: "Log in" }).click();
    await expect(page.getByRole("alert")).toContainText(/password/i);
  });

  await test.step("logs in through the form and sees no labs yet", async () => {
    await loginThroughForm(page, student);
    await expect(page.getByRole("heading", { name: "My labs" })).toBeVisible();
    await expect(page.getByText("No labs yet — start one from a template")).toBeVisible();
  });

  let labId = "";
  await test.step("starts the demo lab and sees it reach Running without a reload", async () => {
    await page.getByRole("link", { name: "Start a lab", exact: true }).first().click();
    await expect(page.getByRole("heading", { name: "Start a lab" })).toBeVisible();
    await expect(page.getByTestId("template-card").filter({ hasText: "demo" })).toBeVisible();
    await shoot(page, "start-lab");
    await page.getByRole("button", { name: "Start a demo lab" }).click();
    await expect(page).toHaveURL(/\/$/);
    const card = page.getByTestId("lab-card");
    await expect(card).toHaveCount(1);
    labId = (await card.getAttribute("data-lab-id"))!;
    // A marker that a reload would wipe: the state must arrive over the live stream.
    await page.evaluate(() => ((window as unknown as { notReloaded: boolean }).notReloaded = true));
    await expect(card.locator("[data-state]")).toHaveAttribute("data-state", "Running", { timeout: BOOT_TIMEOUT });
    expect(await page.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    await expect(card.getByText(/left$/)).toBeVisible();
    await expect(card.getByRole("button", { name: /^Stop/ })).toBeVisible();
    await expect(card.getByRole("button", { name: /^Start/ })).toHaveCount(0);
    await shoot(page, "my-labs");
  });

  const word = unique("hello");
  await test.step("types a command into the console and reads its output", async () => {
    await page.getByTestId("lab-card").getByRole("link", { name: "Console" }).click();
    await expect(page).toHaveURL(new RegExp(`/labs/${labId}/console$`));
    await expect(page.getByTestId("console-status")).toHaveText("Connected");
    await page.getByTestId("terminal").click();
    // The shell's prompt may predate the connection (it then arrives with the scrollback):
    // press Enter for a fresh one.
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await consoleRows(page)).some((r) => r.includes("lab:~#")), { timeout: 60_000 }).toBe(true);
    await page.keyboard.type(`echo ${word}`);
    await page.keyboard.press("Enter");
    // The output line is the word alone; the echoed command line also holds "echo".
    await expect.poll(async () => (await consoleRows(page)).map((r) => r.trim()), { timeout: 30_000 }).toContain(word);
    await shoot(page, "lab-console");
  });

  await test.step("a reload reconnects and shows the recent output again", async () => {
    await page.reload();
    await expect(page.getByTestId("console-status")).toHaveText("Connected");
    await expect.poll(async () => (await consoleRows(page)).map((r) => r.trim()), { timeout: 30_000 }).toContain(word);
  });

  await test.step("opens the screen and sees a picture", async () => {
    await page.getByRole("link", { name: "Screen" }).click();
    await expect(page).toHaveURL(new RegExp(`/labs/${labId}/screen$`));
    await expect(page.getByTestId("screen-status")).toHaveText("Connected");
    await expect.poll(async () => (await canvasColours(page)).colours, { timeout: 60_000 }).toBeGreaterThan(1);
    const { width, height } = await canvasColours(page);
    expect(width).toBeGreaterThan(100);
    expect(height).toBeGreaterThan(100);
    await expect(page.getByRole("button", { name: "Send Ctrl-Alt-Del" })).toBeEnabled();
    await shoot(page, "lab-screen");
  });

  await test.step("stops the lab: the console says so in words", async () => {
    await page.getByRole("link", { name: "Console" }).click();
    await expect(page.getByTestId("console-status")).toHaveText("Connected");
    await page.getByRole("button", { name: /^Stop/ }).click();
    await expect(page.getByTestId("console-status")).toContainText(/lab (stopped|is stopp)/i, { timeout: 60_000 });
    await expect(page.locator("[data-state]").first()).toHaveAttribute("data-state", "Stopped", { timeout: 60_000 });
  });

  await test.step("starts it again: the console reconnects by itself", async () => {
    await page.getByRole("button", { name: /^Start/ }).click();
    await expect(page.locator("[data-state]").first()).toHaveAttribute("data-state", "Running", { timeout: BOOT_TIMEOUT });
    await expect(page.getByTestId("console-status")).toHaveText("Connected", { timeout: 30_000 });
  });
});
