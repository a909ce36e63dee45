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

test("a report filed in one browser shows on another's board within 2 s, also after a server restart", async ({ browser }) => {
  test.setTimeout(120_000);
  const server = new OwnServer(3190);
  try {
    await server.start();
    const board = await server.signedIn(browser, "linxh", "/");
    const card = board.locator('.task-card[data-number="27"]');
    await expect(card).toContainText("55%");
    const head = await server.signedIn(browser, "liming", "/work");

    await report(server, head, "65", "完成第三季度发展对象集中培训");
    await expect(card).toContainText("65%", { timeout: 2_000 });

    // The server goes away and comes back on the same data: the pages reconnect by themselves
    // and still follow.
    await server.stop();
    await server.start();
    await head.waitForTimeout(3_000); // the pages' retry interval is 2 s
    await report(server, head, "72", "发展对象政治审查全部完成");
    await expect(card).toContainText("72%", { timeout: 5_000 });
  } finally {
    await server.dispose();
  }
});
