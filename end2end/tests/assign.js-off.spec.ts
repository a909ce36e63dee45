import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// Without JavaScript: the office posts a one-task list (2016, so the current board stays the
// demo's) and assigns the task to 葵涌 with its 责任人 and 岗位 (交办); it shows 待签收 until
// 葵涌's head 签收s it; the history names both steps.
test("the office assigns a task and the unit acknowledges it", async ({ browser, page }) => {
  const title = "2016年度党建重点任务(交办)";
  const newPage = async () => (await browser.newContext({ ...test.info().project.use })).newPage();
  const office = page;
  await signIn(office, "wangfang", "/plans");
  const create = office.locator(".grid-form");
  await create.getByLabel("年度").fill("2016");
  await create.getByLabel("清单名称").fill(title);
  await create.getByLabel("任务类别(每行一个,按顺序)").fill("组织建设");
  await create.getByRole("button", { name: "新建草稿" }).click();
  await expect(office.getByRole("heading", { level: 1 })).toHaveText(title);
  await office.goto("/plans");
  const row = office.locator("tr", { hasText: title });
  await row.getByLabel("任务清单文件").setInputFiles({
    name: "清单.csv",
    mimeType: "text/csv",
    buffer: Buffer.from("序号,类别,任务,完成时限,验收标准\n1,组织建设,党群服务阵地提升,2016-12-31,阵地有台账\n"),
  });
  await row.getByRole("button", { name: "导入" }).click();
  await office.locator("tr", { hasText: title }).getByRole("button", { name: "发榜" }).click();
  await office.locator("tr", { hasText: title }).getByRole("link", { name: "查看看板" }).click();
  await office.locator(".task-card .task-link").first().click();
  const taskPath = new URL(office.url()).pathname;

  const assign = office.locator("form", { has: office.locator('select[name="unit"]') });
  // (A label around a select also reads the selected option, so the selects go by name.)
  await assign.locator('select[name="unit"]').selectOption({ label: "葵涌街道党建办" });
  await assign.locator('select[name="owner"]').selectOption({ label: "刘强 · 葵涌街道党建办" });
  await assign.getByLabel("岗位").fill("党建办主任");
  await assign.getByRole("button", { name: "交办" }).click();
  await expect(office.locator(".task-badges")).toContainText("待签收");
  await expect(office.locator(".detail-facts")).toContainText("刘强");
  await expect(office.locator(".detail-facts")).toContainText("党建办主任");

  const head = await newPage();
  await signIn(head, "liuqiang", taskPath);
  await expect(head.locator(".task-badges")).toContainText("今日交办,待签收");
  await head.getByRole("button", { name: "签收" }).click();
  await expect(head.locator(".task-badges")).toContainText("推进中");
  const history = head.locator("#history");
  await expect(history).toContainText("签收");
  await expect(history).toContainText("交办");
});
