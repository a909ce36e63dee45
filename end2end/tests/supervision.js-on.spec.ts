import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// With JavaScript: on the demo's 7-29 the office sends a 黄色督办单 on 党员教育管理科's lagging
// task 9 (黄灯, behind 序时进度); the unit's head finds it in the inbox, opens it and 反馈s;
// the office sees it answered, on the task and on the printable notice. No other test touches
// task 9.
test("a yellow 督办单 is sent, read in the inbox, answered and shows as answered", async ({ browser, page }) => {
  const newPage = async () => (await browser.newContext({ ...test.info().project.use })).newPage();
  const task = "/tasks/dapeng-2022-09";
  await signIn(page, "wangfang", task);
  await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1);
  await expect(page.locator(".task-badges .light-reason")).toContainText("落后序时进度");

  const box = page.locator(".supervise-form-box");
  await box.locator("summary").click();
  const form = box.locator(".supervise-form");
  await form.getByLabel("类型").selectOption("yellow");
  await form.getByLabel("督办要求").fill("进度落后于序时进度,请分析原因、制定赶超措施,书面反馈。");
  await form.getByLabel("反馈时限").fill("2022-08-05");
  await form.getByRole("button", { name: "发出" }).click();
  const notice = page.locator('.supervision-item[data-kind="yellow"]');
  await expect(notice).toContainText("黄色督办单(督办〔2022〕");
  await expect(notice.locator(".supervision-state")).toHaveText("待反馈");
  await expect(notice).toContainText("截至2022年7月29日");

  // The unit's head reads it in the inbox and opens it: the task, with the 反馈 form.
  const head = await newPage();
  await signIn(head, "liming", "/inbox");
  const message = head.locator(".notice.unread", { hasText: "收到督办" }).filter({ hasText: "第9项" });
  await expect(message).toContainText("黄色督办单");
  await message.getByRole("button").click();
  await expect(head).toHaveURL(/\/tasks\/dapeng-2022-09$/);
  await expect(head.locator('.app[data-hydrated="true"]')).toHaveCount(1);
  const theirs = head.locator('.supervision-item[data-kind="yellow"]');
  await theirs.getByLabel("反馈落实情况").fill("已召开专题会议分析原因,8月底前完成3门精品党课开发。");
  await theirs.getByRole("button", { name: "反馈" }).click();
  await expect(theirs.locator(".supervision-state")).toHaveText("已反馈");
  await expect(theirs.getByLabel("反馈落实情况")).toHaveCount(0);

  // The office sees it answered, on the task and on the notice it prints.
  await page.reload();
  await expect(notice.locator(".supervision-state")).toHaveText("已反馈");
  await expect(notice).toContainText("8月底前完成3门精品党课开发");
  await notice.getByRole("link", { name: "查看督办单(可打印)" }).click();
  const sheet = page.locator(".notice-sheet");
  await expect(sheet.locator(".sheet-title")).toHaveText("黄色督办单");
  await expect(sheet).toContainText("党员教育管理科");
  await expect(sheet.locator(".sheet-feedback")).toContainText("8月底前完成3门精品党课开发");
  await expect(page.locator(".sheet-state")).toHaveText("已反馈");
});
