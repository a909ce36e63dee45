import { expect, test } from "@playwright/test";
import { postOneTaskList, signIn } from "./helpers";

// Without JavaScript: the office posts a one-task list (2017, so the current board stays the
// demo's); two streets claim the task (竞榜); the office confirms 葵涌 and declines 南澳 with a
// reason, which 南澳's head then reads on the task page.
test("two streets claim one task; the office confirms one and the other reads why not", async ({ browser, page }) => {
  const title = "2017年度党建重点任务(揭榜)";
  // Each person in a browser of their own, with this project's settings (JavaScript off).
  const newPage = async () => (await browser.newContext({ ...test.info().project.use })).newPage();
  const office = page;
  await signIn(office, "wangfang", "/plans");
  await postOneTaskList(office, "2017", title, "红色物业试点");
  const taskUrl = office.url();
  await expect(office.locator(".claims")).toContainText("尚无单位认领");

  for (const [user, pledge] of [
    ["liuqiang", "葵涌三个月内完成试点"],
    ["yangfan", "南澳依托社区先行"],
  ]) {
    const head = await newPage();
    await signIn(head, user, new URL(taskUrl).pathname);
    const form = head.locator(".claim-form");
    // A pledge of spaces passes the browser but not the rules: nothing is filed.
    await form.getByLabel("承诺与工作思路").fill("   ");
    await form.getByRole("button", { name: "揭榜认领" }).click();
    await expect(head.locator("#claim-pledge-error")).toContainText("不能为空");
    await head.locator(".claim-form").getByLabel("承诺与工作思路").fill(pledge);
    await head.locator(".claim-form").getByRole("button", { name: "揭榜认领" }).click();
    await expect(head.locator(".claim")).toContainText(pledge);
    await expect(head.locator(".claim .claim-status")).toHaveText("待挂牌");
    await expect(head.locator(".claim-form")).toHaveCount(0);
    await head.close();
  }

  // The office sees both claims side by side and confirms 葵涌's, declining 南澳's.
  await office.goto(taskUrl);
  await expect(office.locator(".claim")).toHaveCount(2);
  const kuichong = office.locator('.claim[data-unit="kysd"]');
  await kuichong.getByLabel("其他认领不予挂牌的理由").fill("葵涌街道试点基础更好");
  // 定人定岗定责 at 挂牌: the 分管领导 chosen by the office.
  await kuichong.getByLabel("分管领导").selectOption("p-zhonglx");
  await kuichong.getByRole("button", { name: "确认挂牌" }).click();
  await expect(office.locator(".detail-facts")).toContainText("葵涌街道党建办");
  await expect(office.locator(".detail-facts")).toContainText("钟立新");
  await expect(office.locator(".task-badges")).toContainText("推进中");

  const nanao = await newPage();
  await signIn(nanao, "yangfan", new URL(taskUrl).pathname);
  await expect(nanao.locator(".claim")).toHaveCount(1);
  await expect(nanao.locator(".claim .claim-status")).toHaveText("不予挂牌");
  await expect(nanao.locator(".claim-reason")).toHaveText("不予挂牌理由:葵涌街道试点基础更好");
});
