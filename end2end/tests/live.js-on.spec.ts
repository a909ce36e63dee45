import { expect, test, type Page } from "@playwright/test";
import { OwnServer } from "./own-server";

/** 党员教育管理科's head reports on its task 27. */
async function report(server: OwnServer, page: Page, percent: string, text: string) {
  const answer = await page.request.post(`${server.base}/tasks/dapeng-2022-27/reports`, {
    headers: { origin: server.base, accept: "application/json" },
    multipart: { percent, done: text, problems: "", next_steps: "" },
  });
  expect(answer.status(), await answer.text()).toBe(200);
}

test("a report filed in one browser shows on another's board and task page within 2 s, also after a server restart", async ({ browser }) => {
  test.setTimeout(150_000);
  const server = new OwnServer(3190);
  try {
    await server.start();
    const board = await server.signedIn(browser, "linxh", "/");
    const card = board.locator('.task-card[data-number="27"]');
    await expect(card).toContainText("55%");
    const task = await server.signedIn(browser, "linxh", "/tasks/dapeng-2022-27");
    const head = await server.signedIn(browser, "liming", "/work");

    await report(server, head, "65", "完成第三季度发展对象集中培训");
    await expect(card).toContainText("65%", { timeout: 2_000 });
    await expect(task.locator("main")).toContainText("完成第三季度发展对象集中培训", { timeout: 2_000 });

    // The server goes away and comes back on the same data: the pages reconnect by themselves
    // and still follow.
    await server.stop();
    await server.start();
    await head.waitForTimeout(3_000); // the pages' retry interval is 2 s

    // The leader is writing a 批示 when the next report arrives: the task page keeps the
    // typing and offers the change instead of replacing the page under the reader's hands.
    const instruction = task.locator(".comment-form textarea");
    await instruction.fill("请于8月底前完成发展对象政治审查");
    await report(server, head, "72", "发展对象政治审查全部完成");
    await expect(card).toContainText("72%", { timeout: 5_000 });
    const offer = task.locator(".live-pending");
    await expect(offer).toContainText("此任务有新的动态", { timeout: 5_000 });
    await expect(instruction).toHaveValue("请于8月底前完成发展对象政治审查");
    await expect(task.locator("main")).not.toContainText("发展对象政治审查全部完成");
    await offer.getByRole("button", { name: "刷新查看" }).click();
    await expect(task.locator("main")).toContainText("发展对象政治审查全部完成");
    await expect(offer).toHaveCount(0);
  } finally {
    await server.dispose();
  }
});
