import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// The office creates a draft, uploads a list with a bad row, reads the problem, uploads the
// fixed list and publishes — all with plain forms. The plan is for 2021, so the board (the
// newest year's plan) that other tests read stays the demo's.
const csv = (criteria: string) =>
  Buffer.from(
    "\ufeff序号,类别,任务,牵头单位,推进目标,完成时限,验收标准\n" +
      `1,组织建设,“三会一课”规范化,组织科,"2021年6月30日 制定标准\n2021/9/30 全面检查",2021年12月31日,${criteria}\n` +
      "2,组织建设,党员积分管理,组织科,,2021-11-30,有台账\n",
  );

test("the office imports a task list and publishes it", async ({ page }) => {
  await signIn(page, "wangfang", "/plans");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("发榜管理");
  const create = page.locator(".grid-form");
  await create.getByLabel("年度").fill("2021");
  await create.getByLabel("清单名称").fill("2021年度党建重点任务(测试)");
  await create.getByLabel("任务类别(每行一个,按顺序)").fill("组织建设\n基层治理");
  await create.getByRole("button", { name: "新建草稿" }).click();
  // A new draft opens on its own page; the list is one step back.
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("2021年度党建重点任务(测试)");
  await page.goto("/plans");
  const row = page.locator("tr", { hasText: "2021年度党建重点任务(测试)" });
  await expect(row).toContainText("草稿");

  await row.getByLabel("任务清单文件").setInputFiles({ name: "清单.csv", mimeType: "text/csv", buffer: csv("") });
  await row.getByRole("button", { name: "导入" }).click();
  const problems = page.locator(".import-problems");
  await expect(problems).toContainText("1 处问题");
  await expect(problems).toContainText("第 2 行“验收标准”列:不能为空");

  const again = page.locator("tr", { hasText: "2021年度党建重点任务(测试)" });
  await again.getByLabel("任务清单文件").setInputFiles({ name: "清单.csv", mimeType: "text/csv", buffer: csv("制度上墙") });
  await again.getByRole("button", { name: "导入" }).click();
  await expect(page.locator(".form-notice")).toHaveText("已导入 2 项任务。请核对后发榜。");

  await page.locator("tr", { hasText: "2021年度党建重点任务(测试)" }).getByRole("button", { name: "发榜" }).click();
  await expect(page.locator("tr", { hasText: "2021年度党建重点任务(测试)" })).toContainText("揭榜中");
});

test("the office adds a task to a draft and edits it through the forms", async ({ page }) => {
  await signIn(page, "wangfang", "/plans");
  const create = page.locator(".grid-form");
  await create.getByLabel("年度").fill("2020");
  await create.getByLabel("清单名称").fill("2020年度党建重点任务(表单)");
  await create.getByLabel("任务类别(每行一个,按顺序)").fill("组织建设");
  await create.getByRole("button", { name: "新建草稿" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("2020年度党建重点任务(表单)");

  // Without JavaScript the form offers two blank rows for 推进目标 and for 验收标准.
  const form = page.locator(".task-form");
  await expect(form.getByLabel("节点日期")).toHaveCount(2);
  await form.getByLabel("任务名称").fill("党员积分管理");
  await form.getByLabel("完成时限").fill("2020-12-31");
  await form.getByLabel("节点日期").nth(0).fill("2020-09-30");
  await form.getByLabel("节点目标", { exact: true }).nth(0).fill("试点");
  await form.getByLabel("节点目标值(%)").nth(0).fill("120");
  await form.getByRole("button", { name: "添加任务" }).click();
  await expect(page.locator("#task-milestones-error")).toHaveText("第 1 条推进目标须在 0 到 100 之间");

  const again = page.locator(".task-form");
  await again.getByLabel("任务名称").fill("党员积分管理");
  await again.getByLabel("完成时限").fill("2020-12-31");
  await again.getByLabel("牵头单位(空为待揭榜)").selectOption({ label: "组织科" });
  await again.locator("fieldset", { hasText: "配合单位" }).getByLabel("党员教育管理科").check();
  await again.getByLabel("重中之重").check();
  await again.getByLabel("节点日期").nth(0).fill("2020-09-30");
  await again.getByLabel("节点目标", { exact: true }).nth(0).fill("试点");
  await again.getByLabel("节点目标值(%)").nth(0).fill("50");
  await again.getByLabel("节点日期").nth(1).fill("2020-12-31");
  await again.getByLabel("节点目标", { exact: true }).nth(1).fill("全面推行");
  await again.getByLabel("验收标准", { exact: true }).nth(0).fill("积分台账完整");
  await again.getByLabel("验收标准", { exact: true }).nth(1).fill("年度考评运用");
  await again.getByRole("button", { name: "添加任务" }).click();
  const row = page.locator('.plan-tasks tr[data-number="1"]');
  await expect(row).toContainText("党员积分管理");
  await expect(row).toContainText("重中之重");
  await expect(row).toContainText("组织科");

  // 修改: the form holds the task's values; saving goes to the task's page.
  await row.getByRole("link", { name: "修改" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("修改任务");
  const edit = page.locator(".task-form");
  await expect(edit.getByLabel("节点目标值(%)").nth(0)).toHaveValue("50");
  await expect(edit.locator("fieldset", { hasText: "配合单位" }).getByLabel("党员教育管理科")).toBeChecked();
  await edit.getByLabel("任务名称").fill("党员积分制管理");
  await edit.getByLabel("节点目标", { exact: true }).nth(1).fill("全面推行积分制");
  await edit.getByRole("button", { name: "保存" }).click();
  await expect(page.locator(".task-title")).toHaveText("党员积分制管理");
  await expect(page.locator(".milestones")).toContainText("全面推行积分制");
  await expect(page.locator(".milestones")).toContainText("目标 50%");
  await expect(page.locator(".detail-facts")).toContainText("党员教育管理科");
});
