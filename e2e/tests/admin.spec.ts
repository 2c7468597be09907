import { ADMIN, createAccount, expect, loginThroughForm, shoot, test, unique } from "./fixtures";

test("the admin manages users and templates and reads the audit log", async ({ page, admin, runningLab }) => {
  // Someone to list besides the one created through the form.
  await createAccount(admin, "instructor");
  await loginThroughForm(page, ADMIN());

  await test.step("creates a user, changes the role and deletes the user", async () => {
    await page.getByRole("link", { name: "Users" }).click();
    await expect(page.getByRole("heading", { name: "Users" })).toBeVisible();
    const name = unique("carol");
    await page.getByLabel("Username").fill(name);
    await page.getByLabel("Password").fill("short");
    await page.getByRole("button", { name: "Create user" }).click();
    // The problem's detail is shown as it is.
    await expect(page.getByRole("form", { name: "New user" }).getByRole("alert")).toContainText(/password/i);
    await page.getByLabel("Password").fill("carol-password-1");
    await page.getByRole("button", { name: "Create user" }).click();
    await expect(page.getByRole("status").filter({ hasText: `User “${name}” created.` })).toBeVisible();
    const row = page.getByTestId("user-row").filter({ hasText: name });
    await row.getByLabel(`Role of ${name}`).selectOption("instructor");
    await expect(page.getByText(`${name} is now an instructor.`)).toBeVisible();
    await expect(row.getByLabel(`Role of ${name}`)).toHaveValue("instructor");
    await shoot(page, "users");
    await row.getByRole("button", { name: "Delete" }).click();
    await row.getByRole("button", { name: "Delete" }).click();
    await expect(page.getByTestId("user-row").filter({ hasText: name })).toHaveCount(0);
  });

  await test.step("creates, edits and deletes a template", async () => {
    await page.getByRole("link", { name: "Templates" }).click();
    await page.getByRole("button", { name: "New template" }).click();
    const name = unique("course");
    await page.getByLabel("Name").fill(name);
    await page.getByLabel("Description").fill("Week 3: shell basics");
    await page.getByLabel("Kernel", { exact: true }).fill("demo/vmlinuz");
    await page.getByLabel("Initrd").fill("demo/initrd.img");
    await page.getByLabel("Kernel command line").fill("console=tty0 console=ttyS0 quiet");
    await page.getByLabel("Network").selectOption("none");
    await page.getByLabel("Ready when").selectOption("console");
    const pattern = page.getByLabel("Console pattern (regular expression)");
    await pattern.fill("(");
    await page.getByRole("button", { name: "Create template" }).click();
    await expect(page.getByRole("alert")).toContainText(/pattern|regular expression/i);
    await expect(pattern).toHaveAttribute("aria-invalid", "true");
    await pattern.fill("lab:~# ");
    await page.getByLabel("Ready within (seconds)").fill("120");
    await page.getByRole("button", { name: "Create template" }).click();
    await expect(page.getByText(`Template “${name}” created.`)).toBeVisible();
    const stored = (await (await admin.get("/api/v1/templates")).json()).items.find((t: { name: string }) => t.name === name);
    expect(stored.network).toBe("none");
    expect(stored.readiness).toMatchObject({ mode: "console", pattern: "lab:~# ", timeoutSeconds: 120 });
    await page.getByRole("button", { name: `Edit ${name}` }).click();
    await page.getByLabel("Memory (MB)").fill("384");
    await page.getByLabel("Offered to students").check();
    const warmPool = page.getByLabel("Warm pool (machines kept started)");
    await expect(warmPool).toHaveValue("0");
    await warmPool.fill("2");
    await page.getByRole("button", { name: "Save template" }).click();
    await expect(page.getByText(`Template “${name}” saved.`)).toBeVisible();
    const saved = (await (await admin.get("/api/v1/templates")).json()).items.find((t: { name: string }) => t.name === name);
    expect(saved.warmPool).toBe(2);
    const row = page.getByRole("row").filter({ hasText: name });
    await expect(row).toContainText("384 MB");
    await expect(row).toContainText("Offered");
    await shoot(page, "templates");
    await row.getByRole("button", { name: "Delete" }).click();
    await row.getByRole("button", { name: "Delete" }).click();
    await expect(page.getByRole("row").filter({ hasText: name })).toHaveCount(0);
  });

  await test.step("sees every lab and the lab's audit trail", async () => {
    await page.getByRole("link", { name: "All labs" }).click();
    const row = page.getByRole("row").filter({ hasText: runningLab.owner.username });
    await expect(row.locator("[data-state]")).toHaveAttribute("data-state", "Running");
    await shoot(page, "all-labs");
    // An admin may open any lab (read-only unless they choose to assist, and the student is told);
    // leaving the page ends the console session, which is audited with the join and the leave.
    await row.getByRole("link", { name: "Open" }).click();
    await expect(page).toHaveURL(new RegExp(`/labs/${runningLab.lab.id}$`));
    await expect(page.getByTestId("console-status")).toHaveText("Connected");
    await page.getByTestId("terminal").click();
    await page.keyboard.press("Enter");
    await page.getByRole("link", { name: "All labs" }).click();
    await row.getByRole("link", { name: "Audit" }).click();
    await expect(page).toHaveURL(new RegExp(`/audit\\?labId=${runningLab.lab.id}$`));
    await expect(page.getByLabel("Lab ID")).toHaveValue(runningLab.lab.id);
    await expect(page.getByRole("row").filter({ hasText: runningLab.owner.username }).filter({ hasText: "create" })).toBeVisible();
    // The session is written when the controller has closed it: look again until it is there.
    await expect(async () => {
      await page.getByRole("button", { name: "Filter" }).click();
      await expect(page.getByRole("row").filter({ hasText: "admin" }).filter({ hasText: "console-session" })).toBeVisible({ timeout: 2_000 });
      await expect(page.getByRole("row").filter({ hasText: "stream-join" }).filter({ hasText: "watch console as admin" })).toBeVisible();
    }).toPass({ timeout: 20_000 });
    await page.getByRole("button", { name: "Show all" }).click();
    await expect(page.getByRole("row").nth(1)).toBeVisible();
    await shoot(page, "audit");
  });
});
