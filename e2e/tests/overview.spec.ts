import { apiAs, BOOT_TIMEOUT, createAccount, demoTemplateId, expect, loginThroughForm, shoot, test, unique, waitForState } from "./fixtures";

// Issue 13, the class overview: an instructor opens the overview of a course in which one student
// runs a demo lab and another has none, sees a tile per student with a live thumbnail of the
// running lab's screen, and filters the tiles by state (kept in the address).
test("an instructor sees a tile per student with a live thumbnail and filters them by state", async ({ page, admin }) => {
  test.setTimeout(BOOT_TIMEOUT + 120_000);
  const instructor = await createAccount(admin, "instructor");
  const busy = await createAccount(admin, "student");
  const idle = await createAccount(admin, "student");
  const teacher = await apiAs(instructor);
  const template = await demoTemplateId(teacher);
  const r = await teacher.post("/api/v1/courses", { data: { name: "Systems 201", code: unique("SYS").toUpperCase(), templateIds: [template] } });
  expect(r.status(), await r.text()).toBe(201);
  const course = (await r.json()).id as string;
  for (const s of [busy, idle]) {
    const m = await teacher.post(`/api/v1/courses/${course}/members`, { data: { username: s.username, role: "student" } });
    expect(m.status(), await m.text()).toBe(201);
  }
  const student = await apiAs(busy);
  const started = await student.post(`/api/v1/courses/${course}/labs`, { data: { templateId: template } });
  expect(started.status(), await started.text()).toBe(201);
  const labId = (await started.json()).id as string;

  try {
    await waitForState(student, labId, "Running");
    await test.step("the course page links to its class overview", async () => {
      await loginThroughForm(page, instructor);
      await page.goto(`/courses/${course}`);
      await page.getByRole("link", { name: "Class overview" }).click();
      await expect(page).toHaveURL(new RegExp(`/courses/${course}/overview`));
      await expect(page.getByRole("heading", { name: "Class overview: Systems 201" })).toBeVisible();
    });

    const tiles = page.getByTestId("overview-tile");
    const busyTile = tiles.filter({ has: page.getByRole("heading", { name: busy.username }) });
    await test.step("a tile per student; the running lab's thumbnail loads; watch and assist links", async () => {
      await expect(tiles).toHaveCount(2);
      await expect(busyTile.getByText("Running")).toBeVisible();
      await expect(busyTile.getByTestId("overview-idle")).toHaveText("no input seen");
      const thumb = busyTile.getByTestId("overview-thumbnail");
      await expect(thumb).toBeVisible({ timeout: 30_000 });
      await expect.poll(() => thumb.evaluate((img: HTMLImageElement) => img.naturalWidth), { timeout: 30_000 }).toBeGreaterThan(0);
      await expect(thumb).toHaveAttribute("alt", new RegExp(`Screen of ${busy.username}`));
      await expect(busyTile.getByRole("link", { name: `Watch console of ${busy.username}` }))
        .toHaveAttribute("href", `/labs/${labId}/console?mode=watch`);
      await expect(busyTile.getByRole("link", { name: `Assist screen of ${busy.username}` }))
        .toHaveAttribute("href", `/labs/${labId}/screen?mode=assist`);
      await expect(tiles.filter({ has: page.getByRole("heading", { name: idle.username }) })).toContainText("No lab");
      await expect(page.getByTestId("count-Running")).toHaveText("1");
      await expect(page.getByTestId("count-none")).toHaveText("1");
      await shoot(page, "overview");
    });

    await test.step("filtering by state keeps the filter in the address", async () => {
      await page.getByLabel("State", { exact: true }).selectOption("none");
      await expect(tiles).toHaveCount(1);
      await expect(tiles).toContainText(idle.username);
      await expect(page).toHaveURL(/state=none/);
      await page.reload();
      await expect(page.getByLabel("State", { exact: true })).toHaveValue("none");
      await expect(tiles).toHaveCount(1);
      await page.getByLabel("State", { exact: true }).selectOption("Running");
      await expect(tiles).toHaveCount(1);
      await expect(tiles).toContainText(busy.username);
      await page.getByLabel("Sort by").selectOption("idle");
      await expect(page).toHaveURL(/sort=idle/);
    });
  } finally {
    await student.delete(`/api/v1/labs/${labId}`);
    await student.dispose();
    await teacher.dispose();
  }
});
