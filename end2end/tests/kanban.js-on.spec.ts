import { expect, test } from "@playwright/test";
import { OwnServer } from "./own-server";

test("kanban: an illegal drop snaps back with the reason, a legal one moves the card (and the keyboard can too)", async ({ browser }) => {
  test.setTimeout(120_000);
  const server = new OwnServer(3192);
  try {
    await server.start();
    const page = await server.signedIn(browser, "yangfan", "/?view=kanban");
    const column = (status: string) => page.locator(`.kanban-col[data-status="${status}"]`);
    // Picked up by its edge (not its title link) and dropped on the column's heading.
    const drag = (card: ReturnType<typeof page.locator>, status: string) =>
      card.dragTo(column(status).locator("h3"), { sourcePosition: { x: 6, y: 6 } });
    const card23 = page.locator('.kanban-card[data-number="23"]');
    await expect(column("in_progress").locator('[data-number="23"]')).toBeVisible();

    // 推进中 → 已销号: no such move; the card stays where it was.
    await drag(card23, "accepted");
    await expect(page.locator(".kanban-note .refused")).toContainText("不能从“推进中”直接移至“已销号”");
    await expect(column("in_progress").locator('[data-number="23"]')).toBeVisible();
    await expect(column("accepted").locator('[data-number="23"]')).toHaveCount(0);

    // 推进中 → 待验收 needs the 自查 form: it says so and links the task page.
    await drag(card23, "submitted");
    await expect(page.locator(".kanban-note .refused")).toContainText("需在任务页填写后办理");
    await expect(page.locator(".kanban-note a")).toHaveAttribute("href", "/tasks/dapeng-2022-23");
    await expect(column("in_progress").locator('[data-number="23"]')).toBeVisible();

    // 待签收 → 推进中 is 签收, 南澳's own task 42: the drop makes it.
    const card42 = page.locator('.kanban-card[data-number="42"]');
    await expect(column("assigned").locator('[data-number="42"]')).toBeVisible();
    await drag(card42, "in_progress");
    await expect(page.locator(".kanban-note .ok")).toContainText("已签收");
    await expect(column("in_progress").locator('[data-number="42"]')).toBeVisible();
    // It stands after a reload: the server made the move.
    await page.reload();
    await expect(column("in_progress").locator('[data-number="42"]')).toBeVisible();

    // Another unit's task: the server's policy refuses, the card snaps back. The office's
    // 撤销销号 (已销号 → 推进中) is a drop-made move, but not 南澳's to make — from the keyboard.
    const accepted = column("accepted").locator(".kanban-card").first();
    const number = await accepted.getAttribute("data-number");
    await accepted.locator("select.kanban-move").selectOption("in_progress");
    await expect(page.locator(".kanban-note .refused")).toContainText("未能移动");
    await expect(column("accepted").locator(`[data-number="${number}"]`)).toBeVisible();
  } finally {
    await server.dispose();
  }
});

test("kanban without JavaScript is a read-only view with links", async ({ browser }) => {
  // Its own server first loads the demo plan into a fresh store: seconds, more when the
  // other worker is busy.
  test.setTimeout(90_000);
  const server = new OwnServer(3193);
  try {
    await server.start();
    const context = await browser.newContext({ baseURL: server.base, javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto("/login?next=%2F%3Fview%3Dkanban");
    await page.getByLabel("用户名").fill("guest");
    await page.getByLabel("密码").fill("jiebang2022");
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page.locator(".kanban-col")).toHaveCount(8);
    expect(await page.locator(".kanban-card").count()).toBe(42);
    await expect(page.locator("select.kanban-move")).toHaveCount(0);
    await expect(page.locator('.kanban-card[draggable="true"]')).toHaveCount(0);
    await page.locator('.kanban-card[data-number="1"] a').click();
    await expect(page).toHaveURL(/\/tasks\/dapeng-2022-01$/);
  } finally {
    await server.dispose();
  }
});
