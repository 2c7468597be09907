import { BOOT_TIMEOUT, apiAs, consoleRows, createAccount, demoTemplateId, expect, loginThroughForm, shoot, test, unique, waitForState } from "./fixtures";
import type { Page } from "@playwright/test";

// Issue 13, reset to template: a student's file is gone after the instructor resets their lab from
// the course page (after a confirmation that says what is lost); then the whole class is reset with
// the course's code typed as confirmation.
test("an instructor resets a student's lab and then the whole class", async ({ page, admin, browser }) => {
  test.setTimeout(BOOT_TIMEOUT * 4 + 120_000);
  const instructor = await createAccount(admin, "instructor");
  const student = await createAccount(admin, "student");
  const teacher = await apiAs(instructor);
  const code = unique("RST").toUpperCase();
  const template = await demoTemplateId(teacher);
  const created = await teacher.post("/api/v1/courses", { data: { name: "Resets 101", code, quotas: {}, templateIds: [template] } });
  expect(created.status(), await created.text()).toBe(201);
  const courseId = (await created.json()).id as string;
  const enrolled = await teacher.post(`/api/v1/courses/${courseId}/members`, { data: { username: student.username, role: "student" } });
  expect(enrolled.status(), await enrolled.text()).toBe(201);
  const studentApi = await apiAs(student);
  const started = await studentApi.post(`/api/v1/courses/${courseId}/labs`, { data: { templateId: template } });
  expect(started.status(), await started.text()).toBe(201);
  const labId = (await started.json()).id as string;
  await waitForState(studentApi, labId, "Running");

  const context = await browser.newContext();
  const studentPage = await context.newPage();
  const note = unique("note");
  await test.step("the student writes a file in the lab", async () => {
    await loginThroughForm(studentPage, student);
    await typeInConsole(studentPage, labId, `echo ${note} > /root/note; cat /root/note`);
    await expect.poll(async () => (await consoleRows(studentPage)).map((r) => r.trim()), { timeout: 30_000 }).toContain(note);
  });

  await test.step("the instructor resets the student's lab after a confirmation that says what is lost", async () => {
    await loginThroughForm(page, instructor);
    await page.goto(`/courses/${courseId}`);
    const row = page.getByTestId("course-lab-row").filter({ hasText: student.username });
    await expect(row).toContainText("Running");
    await row.getByRole("button", { name: "Reset", exact: true }).click();
    const question = row.getByRole("group", { name: /Reset this lab\?/ });
    await expect(question).toContainText("files, installed packages, settings — is lost; the lab restarts from demo.");
    await shoot(page, "lab-reset-confirm");
    await question.getByRole("button", { name: "Reset lab" }).click();
    await expect(row).toContainText("Starting");
    await expect(row).toContainText("Running", { timeout: BOOT_TIMEOUT });
  });

  await test.step("the student's file is gone", async () => {
    await typeInConsole(studentPage, labId, `cat /root/note || echo gone-$((6*7))`);
    await expect.poll(async () => (await consoleRows(studentPage)).map((r) => r.trim()), { timeout: 30_000 }).toContain("gone-42");
    expect((await consoleRows(studentPage)).map((r) => r.trim())).not.toContain(note);
    await context.close();
  });

  await test.step("the whole class is reset with the course's code typed as confirmation", async () => {
    const button = page.getByRole("button", { name: "Reset all labs of the course" });
    await expect(button).toBeDisabled();
    await page.getByLabel(`Type ${code} to confirm`).fill(code);
    await expect(button).toBeEnabled();
    await shoot(page, "course-reset");
    await button.click();
    await expect(page.getByRole("status").filter({ hasText: "being reset" })).toHaveText("1 lab is being reset.");
    await waitForState(studentApi, labId, "Running");
  });
  await studentApi.delete(`/api/v1/labs/${labId}`);
  await studentApi.dispose();
  await teacher.dispose();
});

/** Opens the lab's console (a fresh load, so it connects to the current machine) and types a command at the prompt. */
async function typeInConsole(page: Page, labId: string, command: string) {
  await page.goto(`/labs/${labId}/console`);
  await expect(page.getByTestId("console-status")).toHaveText("Connected", { timeout: 60_000 });
  await page.getByTestId("terminal").click();
  await page.keyboard.press("Enter");
  await expect.poll(async () => (await consoleRows(page)).some((r) => r.includes("lab:~#")), { timeout: 60_000 }).toBe(true);
  await page.keyboard.type(command);
  await page.keyboard.press("Enter");
}
