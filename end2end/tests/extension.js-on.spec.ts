import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// With JavaScript: 南澳's head asks to extend task 38 (no other test changes its deadline); the
// office passes it (初审) and the leader approves it (审定); the task then shows the new
// 完成时限 beside the original one.
test("an extension is requested, reviewed and approved; both dates are shown", async ({ browser, page }) => {
  const newPage = async () => (await browser.newContext({ ...test.info().project.use })).newPage();
  const task = "/tasks/dapeng-2022-38";
  await signIn(page, "yangfan", task);
  await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1);
  const form = page.locator(".request-form");
  const before = (await page.locator(".detail-facts").innerText()).match(/完成时限\s*(\S+)/)?.[1] ?? "";
  await form.getByLabel("申请延至").fill("2023-01-15");
  await form.getByLabel("延期理由").fill("述职评议会议时间调整,需顺延");
  await form.getByRole("button", { name: "提交延期申请" }).click();
  await expect(page.locator(".request .request-status")).toHaveText("待初审");
  await expect(page.locator(".request-form")).toHaveCount(0);

  const office = await newPage();
  await signIn(office, "wangfang", task);
  await expect(office.locator('.app[data-hydrated="true"]')).toHaveCount(1);
  await office.locator(".request").getByRole("button", { name: "初审通过" }).click();
  await expect(office.locator(".request .request-status")).toHaveText("待审定");

  const leader = await newPage();
  await signIn(leader, "linxh", task);
  await expect(leader.locator('.app[data-hydrated="true"]')).toHaveCount(1);
  await leader.locator(".request").getByRole("button", { name: "批准延期" }).click();
  await expect(leader.locator(".request .request-status")).toHaveText("已批准");
  await expect(leader.locator(".detail-facts")).toContainText("2023年1月15日");
  await expect(leader.locator(".original-deadline")).toContainText(`原定 ${before}`);
  await expect(leader.locator("#history")).toContainText("批准延期");
});
