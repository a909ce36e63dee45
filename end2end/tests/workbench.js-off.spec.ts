import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// Without JavaScript: the demo's 7-29 as 南澳's head finds it — task 42, 交办 on 7-28, waits
// for 签收 on the 工作台 and in the inbox; opening the message (a plain form) leads to the
// task and marks the message read. No other test touches task 42.
test("the 工作台 and the inbox work without JavaScript", async ({ page }) => {
  await signIn(page, "yangfan", "/work");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("我的工作台");
  const toSign = page.locator('[data-shelf="to_sign"] .work-item', { hasText: "南澳墟镇“党建+文旅”融合示范带建设" });
  await expect(toSign).toContainText("待签收 1 天");
  await expect(page.locator('[data-shelf="lead"]')).toContainText("党建引领社区股份合作公司发展壮大集体经济");

  const badge = page.locator(".inbox-link .unread-badge");
  await expect(badge).toBeVisible();
  const unread = Number(await badge.innerText());
  await page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: /消息/ }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("站内消息");
  const message = page.locator(".notice.unread", { hasText: "交办任务待签收" });
  await expect(message).toContainText("第42项");
  await message.getByRole("button").click();
  await expect(page).toHaveURL(/\/tasks\/dapeng-2022-42$/);
  await expect(page.locator(".task-badges")).toContainText("待签收");
  // One fewer unread, in the header of the task page already.
  const after = page.locator(".inbox-link .unread-badge");
  if (unread > 1) await expect(after).toHaveText(String(unread - 1));
  else await expect(after).toHaveCount(0);
});

// The leader's 工作台 holds the request awaiting 审定 (task 20, reviewed by the office on 7-27).
test("the leader finds the request awaiting 审定", async ({ page }) => {
  await signIn(page, "linxh", "/work");
  const item = page.locator('[data-shelf="requests_to_decide"] .work-item', { hasText: "制定出台新区党群服务中心规范管理制度" });
  await expect(item).toContainText("申请延期至2022年11月30日");
  await expect(item).toContainText("待审定");
});
