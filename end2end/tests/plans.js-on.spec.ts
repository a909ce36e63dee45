import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// With JavaScript, the office builds a three-task plan in the editor: rows are added and
// removed in place, the domain's errors show under their fields without a reload, and the
// plan is published. The plan is for 2019, so the board other tests read stays the demo's.
test("the office builds a plan in the editor and publishes it", async ({ page }) => {
  await signIn(page, "wangfang", "/plans");
  const create = page.locator(".grid-form");
  await create.getByLabel("年度").fill("2019");
  await create.getByLabel("清单名称").fill("2019年度党建重点任务(编辑器)");
  await create.getByLabel("任务类别(每行一个,按顺序)").fill("组织建设\n基层治理");
  await create.getByLabel("揭榜开始日期(可空)").fill("2019-01-20");
  await create.getByLabel("揭榜截止日期(可空)").fill("2019-01-10");
  await create.getByRole("button", { name: "新建草稿" }).click();
  await expect(page.locator("#plan-claim-to-error")).toHaveText("揭榜截止日期不能早于开始日期");
  await create.getByLabel("揭榜截止日期(可空)").fill("2019-01-31");
  await create.getByRole("button", { name: "新建草稿" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("2019年度党建重点任务(编辑器)");
  await expect(page.locator(".board-meta")).toContainText("揭榜时间 2019年1月20日 至 2019年1月31日");

  const tasks = [
    { title: "支部建在小区上", lead: "葵涌街道党建办", milestones: [["2019-08-20", "6个试点小区", "60"], ["2019-12-31", "物业小区全覆盖", ""]], criteria: ["覆盖率100%", "有活动阵地"] },
    { title: "党员积分管理", lead: "", milestones: [["2019-06-30", "制定办法", ""]], criteria: ["积分台账完整"] },
    { title: "两新组织党建", lead: "两新组织党建工作科", milestones: [], criteria: ["年度考评运用"] },
  ];
  for (const [i, t] of tasks.entries()) {
    const form = page.locator(".task-form");
    await expect(form.getByLabel("序号")).toHaveValue(String(i + 1));
    await form.getByLabel("任务名称").fill(t.title);
    await form.getByLabel("完成时限").fill("2019-12-31");
    if (t.lead) await form.getByLabel("牵头单位(空为待揭榜)").selectOption({ label: t.lead });
    // Two blank rows are there; a third is added in place, and a row is removed.
    await form.getByRole("button", { name: "+ 添加推进目标" }).click();
    await expect(form.getByLabel("节点日期")).toHaveCount(3);
    await form.getByRole("button", { name: "删除" }).first().click();
    await expect(form.getByLabel("节点日期")).toHaveCount(2);
    for (const [j, [due, title, target]] of t.milestones.entries()) {
      await form.getByLabel("节点日期").nth(j).fill(due);
      await form.getByLabel("节点目标", { exact: true }).nth(j).fill(title);
      await form.getByLabel("节点目标值(%)").nth(j).fill(target);
    }
    for (const [j, c] of t.criteria.entries()) {
      if (j >= 2) await form.getByRole("button", { name: "+ 添加验收标准" }).click();
      await form.getByLabel("验收标准", { exact: true }).nth(j).fill(c);
    }
    if (i === 0) {
      // A milestone after the deadline: refused in place, the typing kept.
      await form.getByLabel("完成时限").fill("2019-11-30");
      await form.getByRole("button", { name: "添加任务" }).click();
      await expect(page.locator("#task-milestones-error")).toHaveText("第 2 条推进目标的日期晚于完成时限");
      await expect(form.getByLabel("任务名称")).toHaveValue(t.title);
      await form.getByLabel("完成时限").fill("2019-12-31");
    }
    await form.getByRole("button", { name: "添加任务" }).click();
    await expect(page.locator(`.plan-tasks tr[data-number="${i + 1}"]`)).toContainText(t.title);
  }
  const first = page.locator('.plan-tasks tr[data-number="1"]');
  await expect(first).toContainText("2 条");
  await expect(page.locator('.plan-tasks tr[data-number="2"]')).toContainText("待揭榜");

  await page.goto("/plans");
  const row = page.locator("tr", { hasText: "2019年度党建重点任务(编辑器)" });
  await row.getByRole("button", { name: "发榜" }).click();
  await expect(page.locator("tr", { hasText: "2019年度党建重点任务(编辑器)" })).toContainText("揭榜中");

  // Published: task 1 names its lead unit, so it waits for that unit's 签收; task 2 is up
  // for 揭榜.
  await page.getByRole("link", { name: "2019年度党建重点任务(编辑器)" }).click();
  await page.locator('.plan-tasks tr[data-number="1"]').getByRole("link", { name: "调整" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("调整任务");
  await expect(page.locator(".board-meta")).toContainText("任务状态:待签收");
});
