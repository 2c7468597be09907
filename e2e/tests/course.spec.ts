import { BOOT_TIMEOUT, consoleRows, createAccount, expect, loginThroughForm, shoot, test, unique } from "./fixtures";
import type { Browser } from "@playwright/test";

// Issue 13: an instructor runs a class. Creates a course offering the demo template, uploads a
// roster of three students with one bad row (reported, skipped), gives every student a lab, and
// each student sets a password from their one-time link and finds a running lab with a prompt; the
// class overview then shows the three with their thumbnails, and a tile opens a read-only console.
// (Watch, assist and reset in depth: watch.spec.ts, reset.spec.ts.)
test("an instructor creates a course, uploads a roster and gives every student a running lab", async ({ page, admin, browser }) => {
  test.setTimeout(BOOT_TIMEOUT * 2 + 120_000);
  const instructor = await createAccount(admin, "instructor");
  const code = unique("NET").toUpperCase();
  const students = [unique("ada"), unique("bob"), unique("cy")];

  await test.step("the instructor creates a course that offers the demo template", async () => {
    await loginThroughForm(page, instructor);
    await page.getByRole("link", { name: "Courses" }).click();
    await page.getByRole("button", { name: "New course" }).click();
    await page.getByLabel("Name", { exact: true }).fill("Networks 101");
    await page.getByLabel("Code", { exact: true }).fill(code);
    await page.getByRole("checkbox", { name: "demo", exact: true }).check();
    await page.getByRole("button", { name: "Create course" }).click();
    await expect(page.getByRole("heading", { name: "Networks 101" })).toBeVisible();
  });

  const links = new Map<string, string>();
  await test.step("a roster with a bad row: three students created, the bad row reported", async () => {
    const csv = [
      "username,display name,email",
      `${students[0]},Ada Lovelace,ada@example.org`,
      `${students[1]},"Bob, the builder",bob@example.org`,
      `${students[2]},Cy,cy@example.org`,
      `${unique("dee")},Dee,not-an-email`,
    ].join("\r\n");
    await page.getByLabel("Roster file (CSV)").setInputFiles({ name: "roster.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Upload roster" }).click();
    // Without "skip bad rows" the file changes nothing and the problem names the row.
    await expect(page.getByRole("alert")).toContainText(/row/i);
    await page.getByLabel("Skip bad rows").check();
    await page.getByRole("button", { name: "Upload roster" }).click();
    const rows = page.getByTestId("roster-row");
    await expect(rows).toHaveCount(4);
    await expect(rows.and(page.locator('[data-outcome="CREATED"]'))).toHaveCount(3);
    await expect(rows.and(page.locator('[data-outcome="REJECTED"]'))).toHaveCount(1);
    for (const s of students) {
      links.set(s, await page.getByLabel(`Set-password link of ${s}`).inputValue());
    }
    await shoot(page, "course-roster");
  });

  await test.step("a lab for every student: all three run", async () => {
    await page.getByRole("button", { name: "Create missing labs" }).click();
    await expect(page.getByTestId("bulk-progress")).toContainText("3 of 3 running", { timeout: BOOT_TIMEOUT });
    await shoot(page, "course-admin");
  });

  for (const student of students) {
    await test.step(`${student} sets a password from the link and finds a running lab with a prompt`, async () => {
      await asStudent(browser, links.get(student)!, student);
    });
  }

  await test.step("the class overview: three tiles, each with its screen's thumbnail; watching from a tile is read-only", async () => {
    await page.getByRole("link", { name: "Class overview" }).click();
    const tiles = page.getByTestId("overview-tile");
    await expect(tiles).toHaveCount(3);
    await expect(page.getByTestId("count-Running")).toHaveText("3");
    for (const student of students) {
      const thumb = tiles.filter({ hasText: student }).getByTestId("overview-thumbnail");
      await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);
    }
    await tiles.filter({ hasText: students[0] }).getByRole("link", { name: /^Watch console of / }).click();
    await expect(page.getByTestId("watch-banner")).toContainText(`Watching ${students[0]}'s console`);
    await expect(page.getByTestId("console-status")).toHaveText("Connected");
  });
});

async function asStudent(browser: Browser, link: string, username: string) {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    const password = `pw-${unique("x")}`;
    await page.goto(link);
    await page.getByLabel(/New password/).fill(password);
    await page.getByRole("button", { name: "Set password" }).click();
    await expect(page).toHaveURL(/\/login/);
    await loginThroughForm(page, { username, password });
    await page.getByRole("link", { name: "Courses" }).click();
    const course = page.getByTestId("course-card");
    await expect(course).toHaveCount(1);
    await expect(course).toContainText("Networks 101");
    await page.getByRole("link", { name: "My labs" }).click();
    const card = page.getByTestId("lab-card");
    await expect(card).toHaveCount(1);
    await expect(card).toContainText("Running", { timeout: BOOT_TIMEOUT });
    await card.getByRole("link", { name: "Console" }).click();
    await expect(page.getByTestId("console-status")).toHaveText("Connected");
    await page.getByTestId("terminal").click();
    await page.keyboard.press("Enter");
    await expect.poll(async () => (await consoleRows(page)).some((r) => r.includes("lab:~#")), { timeout: 60_000 }).toBe(true);
  } finally {
    await context.close();
  }
}
