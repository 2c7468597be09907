import { apiAs, BOOT_TIMEOUT, canvasColours, consoleRows, createAccount, demoTemplateId, expect, loginThroughForm, shoot, test, unique, waitForState } from "./fixtures";

// Issue 13, watch and assist: a course's instructor opens a student's console read-only. The
// student sees who joined and how; the instructor's typing never reaches the lab. Switching to
// assist, what the instructor types runs in the student's console.
test("an instructor watches a student's console, then assists", async ({ admin, browser }) => {
  test.setTimeout(BOOT_TIMEOUT + 120_000);
  const instructor = await createAccount(admin, "instructor");
  const student = await createAccount(admin, "student");
  const templateId = await demoTemplateId(admin);
  const course = await admin.post("/api/v1/courses", { data: { name: "Networks 101", code: unique("NET").toUpperCase(), templateIds: [templateId] } });
  expect(course.status(), await course.text()).toBe(201);
  const courseId = (await course.json()).id;
  for (const [who, role] of [[instructor, "instructor"], [student, "student"]] as const) {
    const r = await admin.post(`/api/v1/courses/${courseId}/members`, { data: { username: who.username, role } });
    expect(r.status(), await r.text()).toBe(201);
  }
  const studentApi = await apiAs(student);
  const created = await studentApi.post(`/api/v1/courses/${courseId}/labs`, { data: { templateId } });
  expect(created.status(), await created.text()).toBe(201);
  const labId = (await created.json()).id;
  await waitForState(studentApi, labId, "Running");

  const studentContext = await browser.newContext();
  const instructorContext = await browser.newContext();
  try {
    const mine = await studentContext.newPage();
    await loginThroughForm(mine, student);
    await mine.goto(`/labs/${labId}/console`);
    await expect(mine.getByTestId("console-status")).toHaveText("Connected");
    await mine.getByTestId("terminal").click();
    await mine.keyboard.press("Enter");
    await expect.poll(async () => (await consoleRows(mine)).some((r) => r.includes("lab:~#")), { timeout: 60_000 }).toBe(true);

    const theirs = await instructorContext.newPage();
    await test.step("the instructor opens the console in watch mode: a read-only banner", async () => {
      await loginThroughForm(theirs, instructor);
      await theirs.goto(`/labs/${labId}/console?mode=watch`);
      await expect(theirs.getByTestId("console-status")).toHaveText("Connected");
      await expect(theirs.getByTestId("watch-banner")).toContainText(`Watching ${student.username}'s console`);
      await expect(theirs.getByTestId("watch-banner")).toContainText("your input is not sent");
    });

    await test.step("the student sees who watches their console", async () => {
      const banner = mine.getByTestId("presence-banner");
      await expect(banner).toContainText(`${instructor.username} (instructor) is watching your console since`);
    });

    await test.step("what the watcher types never reaches the lab", async () => {
      await theirs.getByTestId("terminal").click();
      await theirs.keyboard.type("echo WATCH''ED-BY-TEACHER");
      await theirs.keyboard.press("Enter");
      // The student's own command after it shows the console is live, and the watcher's is not there.
      await mine.getByTestId("terminal").click();
      await mine.keyboard.type("echo STUD''ENT-HERE");
      await mine.keyboard.press("Enter");
      await expect.poll(async () => (await consoleRows(mine)).some((r) => r.includes("STUDENT-HERE") && !r.includes("echo")), { timeout: 30_000 }).toBe(true);
      const rows = (await consoleRows(mine)).join("\n");
      expect(rows).not.toContain("WATCH");
      for (const p of [theirs, mine]) await p.evaluate(() => window.scrollTo(0, 0));
      await shoot(theirs, "watch");
      await shoot(mine, "watch-presence");
    });

    await test.step("switching to assist: the instructor's command runs in the student's console", async () => {
      await theirs.getByRole("link", { name: "Assist instead" }).click();
      await expect(theirs.getByTestId("assist-banner")).toContainText(`Assisting ${student.username}`);
      await expect(theirs.getByTestId("console-status")).toHaveText("Connected");
      await expect(mine.getByTestId("presence-banner")).toContainText(`${instructor.username} (instructor) is assisting in your console`);
      await theirs.getByTestId("terminal").click();
      await theirs.keyboard.type("echo ASSIST''ED-BY-TEACHER");
      await theirs.keyboard.press("Enter");
      await expect.poll(async () => (await consoleRows(mine)).some((r) => r.includes("ASSISTED-BY-TEACHER") && !r.includes("echo")), { timeout: 30_000 }).toBe(true);
    });

    await test.step("the instructor watches the screen: noVNC completes its handshake through the controller's RFB filter", async () => {
      await theirs.goto(`/labs/${labId}/screen?mode=watch`);
      await expect(theirs.getByTestId("watch-banner")).toContainText(`Watching ${student.username}'s screen`);
      await expect(theirs.getByTestId("screen-status")).toHaveText("Connected");
      await expect.poll(async () => (await canvasColours(theirs)).colours, { timeout: 60_000 }).toBeGreaterThan(1);
      await expect(mine.getByTestId("presence-banner")).toContainText(`${instructor.username} (instructor) is watching your screen`);
      await expect(theirs.getByRole("button", { name: "Send Ctrl-Alt-Del" })).toHaveCount(0);
      // Moving and clicking over the watched screen sends nothing (noVNC's viewOnly), and the stream stays open.
      await theirs.getByTestId("screen").click();
      await theirs.keyboard.type("ls");
      await expect(theirs.getByTestId("screen-status")).toHaveText("Connected");
    });

    await test.step("when the instructor leaves, the banner goes", async () => {
      await theirs.close();
      await expect(mine.getByTestId("presence-banner")).toHaveCount(0, { timeout: 30_000 });
    });
  } finally {
    await studentContext.close();
    await instructorContext.close();
    await studentApi.delete(`/api/v1/labs/${labId}`);
    await studentApi.dispose();
  }
});
