import { expect, type Browser, type Page, test } from "@playwright/test";
import { signIn } from "./helpers";

/**
 * The office runs a 专题调度会 on the demo plan through the pages alone: sets it up (its agenda
 * is every task, the two 重点研究 items flagged), starts it, records 研判, 会议要求 and a 交办事项
 * for 葵涌 on task 1, moves task 2's 完成时限 (which the task then shows, with the meeting in its
 * history), and ends it; 葵涌's head reads it and finds no forms. With JavaScript on and off
 * (`hydrated`); both move task 2 to the same date, which no other test reads.
 */
export async function runMeeting(page: Page, browser: Browser, title: string, hydrated: boolean) {
  const live = async () => {
    if (hydrated) await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
  };
  await signIn(page, "wangfang", "/meetings");
  await live();
  const form = page.locator(".meeting-form");
  await form.getByLabel("会议名称").fill(title);
  await form.getByLabel("会议日期").fill("2022-07-29");
  await form.getByLabel("开始时间").fill("09:30");
  await form.getByLabel("会议地点").fill("新区组织人事局三楼会议室");
  await form.getByLabel("主持人").fill("林晓华");
  await form.getByLabel("参会人员").fill("组织科、各街道党建办负责同志");
  await form.getByRole("button", { name: "筹备会议" }).click();
  await expect(page).toHaveURL(/\/meetings\/[a-z0-9]+$/);
  await expect(page.locator("h1")).toHaveText(title);
  await expect(page.locator(".meeting-head .meeting-status")).toHaveText("筹备中");
  const agenda = page.locator("table.agenda tbody tr");
  expect(await agenda.count()).toBeGreaterThanOrEqual(40);
  await expect(page.locator("table.agenda .focus-tag")).toHaveCount(2);
  await expect(agenda.nth(0)).toContainText("支部建在小区上");
  await expect(agenda.nth(0)).toContainText("重点研究");

  // Before it starts the office arranges the agenda: task 3 flagged 重点研究, then not.
  await live();
  const third = agenda.nth(2);
  await third.getByLabel("第3项的调整").selectOption({ label: "设为重点研究" });
  await third.getByRole("button", { name: "调整" }).click();
  await expect(page.locator("table.agenda .focus-tag")).toHaveCount(3);
  await agenda.nth(2).getByLabel("第3项的调整").selectOption({ label: "取消重点研究" });
  await agenda.nth(2).getByRole("button", { name: "调整" }).click();
  await expect(page.locator("table.agenda .focus-tag")).toHaveCount(2);

  await page.getByRole("button", { name: "开始会议" }).click();
  await expect(page.locator(".meeting-head .meeting-status")).toHaveText("进行中");

  // 主持模式: one task per screen; without JavaScript the links turn it, with it the keyboard
  // does — through the whole agenda, by number, and to the overview — and a second browser
  // follows it.
  const total = await agenda.count();
  await page.getByRole("link", { name: "主持模式" }).click();
  const slide = page.locator(".slide h1");
  await expect(slide).toContainText("支部建在小区上");
  await expect(page.locator(".presenter-progress")).toHaveText(`第 1 / ${total} 项`);
  if (hydrated) {
    await live();
    // A leader's laptop follows the host's screen live (it never presses a key).
    const follower = await (await browser.newContext({ ...test.info().project.use })).newPage();
    await signIn(follower, "linxh", "/meetings");
    await follower.goto(page.url().replace(/\/present.*$/, "/present?follow"));
    await expect(follower.locator('.app[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
    await expect(follower.locator(".follow-tag")).toHaveText("跟随主持中");
    await expect(follower.locator(".slide-number")).toHaveText("1");
    const followed = (n: number) =>
      expect(follower.locator(".presenter-progress")).toHaveText(`第 ${n} / ${total} 项`, { timeout: 3_000 });
    await page.keyboard.press("ArrowRight");
    await followed(2);
    for (let n = 3; n <= total; n++) {
      await page.keyboard.press("ArrowRight");
      await expect(page.locator(".presenter-progress")).toHaveText(`第 ${n} / ${total} 项`);
      await expect(page.locator(".slide-number")).toHaveText(String(n));
    }
    await page.keyboard.press("ArrowRight");
    await expect(page.locator(".presenter-progress")).toHaveText(`第 ${total} / ${total} 项`);
    await followed(total);
    await page.keyboard.type("14");
    await page.keyboard.press("Enter");
    await expect(slide).toContainText("流动党员教育管理指引");
    await followed(14);
    await expect(follower.locator(".slide h1")).toContainText("流动党员教育管理指引");
    await page.keyboard.press("g");
    await expect(page.locator(".presenter-grid .grid-cell")).toHaveCount(total);
    await page.keyboard.press("ArrowLeft");
    await expect(page.locator(".slide-number")).toHaveText("13");
    await followed(13);
    // A second laptop signed in as the office opens the screen on task 20: followers turn to
    // it, and the first host's screen, fetched again, does not answer back.
    const second = await (await browser.newContext({ ...test.info().project.use })).newPage();
    await signIn(second, "wangfang", "/meetings");
    await second.goto(page.url().replace(/\/present.*$/, "/present?at=20"));
    await expect(second.locator('.app[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
    await followed(20);
    // Steady, not flipping between the two screens' tasks.
    for (let i = 0; i < 10; i++) {
      await page.waitForTimeout(250);
      expect(await follower.locator(".presenter-progress").textContent()).toBe(`第 20 / ${total} 项`);
    }
    await expect(page.locator(".slide-number")).toHaveText("13");
    await second.context().close();
    await follower.context().close();
  } else {
    await page.getByRole("link", { name: "下一项 →" }).click();
    await expect(page.locator(".presenter-progress")).toHaveText(`第 2 / ${total} 项`);
    await expect(slide).toContainText("两新党组织引领非公企业纾困解难");
    await page.getByRole("link", { name: "总览" }).click();
    await expect(page.locator(".presenter-grid .grid-cell")).toHaveCount(total);
    await page.locator(".presenter-grid .grid-cell").nth(13).click();
    await expect(slide).toContainText("流动党员教育管理指引");
  }
  await page.getByRole("link", { name: "退出主持模式" }).click();
  await expect(page.locator(".meeting-head .meeting-status")).toHaveText("进行中");

  // Task 1: 研判 and 会议要求.
  await agenda.nth(0).getByRole("link").click();
  const record = page.locator("#record");
  await expect(record.locator("h2")).toContainText("第 1 项");
  await live();
  await record.getByLabel("进度滞后").check();
  await record.getByLabel("会议要求").fill("8月20日前完成6个试点小区党支部组建,年底前实现物业小区全覆盖");
  await record.getByRole("button", { name: "保存研判" }).click();
  await expect(agenda.nth(0)).toContainText("进度滞后");
  await expect(agenda.nth(0)).toContainText("8月20日前完成6个试点小区");
  await expect(page.locator(".meeting-facts")).toContainText("已研判 1 项");

  // Task 1: a 交办事项 for 葵涌.
  const action = record.locator(".action-form");
  await action.getByLabel("交办事项").fill("8月20日前完成坝光新村、金众云山栖两个试点小区机制运转");
  await action.getByLabel("责任单位").selectOption({ label: "葵涌街道党建办" });
  await action.getByLabel("办理时限").fill("2022-08-20");
  await action.getByRole("button", { name: "添加交办事项" }).click();
  const actions = page.locator(".meeting-actions table.action-table tbody tr");
  await expect(actions).toHaveCount(1);
  await expect(actions.first()).toContainText("葵涌街道党建办");
  await expect(actions.first()).toContainText("2022年8月20日");
  await expect(record.locator(".action-items")).toContainText("坝光新村");

  // Task 2: 建议调整, and the 完成时限 the meeting fixes.
  await agenda.nth(1).getByRole("link").click();
  await expect(record.locator("h2")).toContainText("第 2 项");
  await live();
  await record.getByLabel("建议调整").check();
  await record.getByLabel("会议要求").fill("关注企业融资难问题,落实“两稳一保”措施");
  await record.getByLabel(/调整完成时限/).fill("2023-01-15");
  await record.getByRole("button", { name: "保存研判" }).click();
  await expect(agenda.nth(1)).toContainText("完成时限调整为2023年1月15日");
  await expect(agenda.nth(1)).toContainText("两稳一保");

  await page.getByRole("button", { name: "结束会议" }).click();
  await expect(page.locator(".meeting-head .meeting-status")).toHaveText("已召开");
  const address = page.url().replace(/[?#].*$/, "");

  // The minutes list exactly what was decided; 印发 numbers them and ends editing.
  await page.getByRole("link", { name: "会议纪要" }).click();
  await expect(page).toHaveURL(/\/minutes$/);
  const minutes = page.locator("article.minutes").first();
  await expect(minutes).toContainText("进度滞后的任务(1项)");
  await expect(minutes).toContainText("8月20日前完成6个试点小区党支部组建");
  await expect(minutes).toContainText("完成时限明确为2023年1月15日");
  await expect(minutes).toContainText("坝光新村、金众云山栖");
  await expect(page.locator("article.order")).toContainText("葵涌街道党建办:");
  await live();
  await page.getByRole("button", { name: "印发纪要" }).click();
  await expect(page.locator(".minutes-number")).toHaveText(/〔2022〕第\d+期/);
  await expect(page.getByRole("button", { name: "印发纪要" })).toHaveCount(0);
  await expect(page.locator(".minutes-bar .meeting-status")).toHaveText("纪要已印发");

  // 葵涌's head reads the meeting and its decisions, with no forms to change them.
  const head = await (await browser.newContext({ ...test.info().project.use })).newPage();
  await signIn(head, "liuqiang", "/meetings");
  await expect(head.getByRole("link", { name: title }).first()).toBeVisible();
  await head.goto(`${address}/minutes`);
  await expect(head.locator("article.order")).toContainText("坝光新村");
  await expect(head.getByRole("button", { name: "印发纪要" })).toHaveCount(0);
  await head.goto(`${address}?task=dapeng-2022-01`);
  await expect(head.locator("#record")).toContainText("坝光新村");
  await expect(head.getByRole("button", { name: "保存研判" })).toHaveCount(0);
  await expect(head.getByRole("button", { name: "结束会议" })).toHaveCount(0);
  // 葵涌 finds the 交办事项 on its 工作台 and answers it where it was decided.
  await head.goto("/work");
  const mine = head.locator('[data-shelf="meeting_actions"] .work-item').filter({ hasText: title });
  await expect(mine).toHaveCount(1);
  await expect(mine).toContainText("坝光新村");
  await mine.getByRole("link").click();
  await expect(head).toHaveURL(/\/meetings\/[a-z0-9]+\?task=dapeng-2022-01/);
  const row = head.locator(".meeting-actions table.action-table tbody tr").first();
  await expect(row).toContainText("待办理");
  if (hydrated) await expect(head.locator('.app[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
  await row.locator(".answer-form textarea").fill("坝光新村已完成,金众云山栖8月中旬完成");
  await row.getByRole("button", { name: "反馈" }).click();
  await expect(head.locator(".meeting-actions table.action-table tbody tr").first()).toContainText("已反馈");
  await expect(head.locator(".meeting-actions table.action-table tbody tr").first()).toContainText("金众云山栖8月中旬完成");

  // The task itself now shows the new 完成时限, the first one, and the meeting in its history.
  await head.goto("/tasks/dapeng-2022-02");
  await expect(head.locator(".detail-facts")).toContainText("2023年1月15日");
  await expect(head.locator(".original-deadline")).toContainText("原定 2022年12月31日");
  await expect(head.locator("#history")).toContainText(`专题调度会“`);
  await head.context().close();
}
