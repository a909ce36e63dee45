import { expect, test } from "@playwright/test";
import ExcelJS from "exceljs";
import { readFileSync } from "node:fs";
import { signIn } from "./helpers";

// With JavaScript, the office builds a three-task plan in the editor: rows are added and
// removed in place, the domain's errors show under their fields without a reload, and the
// plan is published. The plan is for 2019, so the board other tests read stays the demo's.
test("the office builds a plan in the editor and publishes it", async ({ page }) => {
  await signIn(page, "wangfang", "/plans");
  // Typed before hydration, the form would post without JavaScript and come back empty.
  await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1);
  const create = page.locator(".grid-form");
  await create.getByLabel("年度").fill("2019");
  await create.getByLabel("清单名称").fill("2019年度党建重点任务(编辑器)");
  await create.getByLabel("任务类别(每行一个,按顺序)").fill("组织建设\n基层治理");
  await create.getByLabel("揭榜开始日期(可空)").fill("2019-01-20");
  await create.getByLabel("揭榜截止日期(可空)").fill("2019-01-10");
  await create.getByRole("button", { name: "新建草稿" }).click();
  await expect(page.locator("#plan-claim-to-error")).toHaveText("揭榜截止日期不能早于开始日期");
  // A refused write fetches nothing again: the form keeps what was typed.
  await page.waitForLoadState("networkidle");
  await expect(create.getByLabel("清单名称")).toHaveValue("2019年度党建重点任务(编辑器)");
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

  // The published list has its own board: three cards, in number order.
  await page.goto("/plans");
  await page.locator("tr", { hasText: "2019年度党建重点任务(编辑器)" }).getByRole("link", { name: "查看看板" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("2019年度党建重点任务(编辑器)");
  await expect(page.locator(".task-card .task-title")).toHaveText(tasks.map((t) => t.title));
  await expect(page.locator('.task-card[data-number="2"] .task-lead')).toHaveText("待揭榜");
  await expect(page.locator('.task-card[data-number="1"] .task-lead')).toHaveText("葵涌街道党建办");
});

// The office's own workbook, as it would fill it in Excel: 40 tasks, with three mistakes unless
// `fixed` — an impossible date (task 7), a unit that does not exist (task 19) and no 验收标准
// (task 33). Task n sits on sheet row n + 1, under the header.
const LEADS = ["组织科", "党员教育管理科", "葵涌街道党建办", ""];
async function workbook(fixed: boolean): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet("任务清单");
  sheet.addRow(["序号", "类别", "任务", "牵头单位", "配合单位", "推进目标", "完成时限", "验收标准"]);
  for (let n = 1; n <= 40; n++) {
    let lead = LEADS[n % LEADS.length];
    let deadline: string | Date = n % 2 ? "2018年12月31日" : new Date(Date.UTC(2018, 10, 30));
    let criteria = `第${n}项有台账\n有总结`;
    if (!fixed && n === 7) deadline = "2018年13月5日";
    if (!fixed && n === 19) lead = "不存在的科室";
    if (!fixed && n === 33) criteria = "";
    sheet.addRow([
      n,
      n <= 20 ? "组织建设" : "基层治理",
      `导入任务${n}号`,
      lead,
      n % 5 === 0 ? "党建宣传科" : "",
      "2018/6/30 摸底\n2018年9月30日 推开(目标70%)",
      deadline,
      criteria,
    ]);
  }
  return Buffer.from(await book.xlsx.writeBuffer());
}

// With JavaScript: a 40-row workbook with three bad rows lists exactly those three problems
// (row and column); fixed, it imports, is published and shows on its board; the board's 台账
// download reads back as the same 40 tasks. The plan is for 2018, so the current board stays the
// demo's.
test("the office imports a 40-task workbook, publishes it and gets the 台账 back", async ({ page }) => {
  const title = "2018年度党建重点任务(导入)";
  await signIn(page, "wangfang", "/plans");
  await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1);
  const create = page.locator(".grid-form");
  await create.getByLabel("年度").fill("2018");
  await create.getByLabel("清单名称").fill(title);
  await create.getByLabel("任务类别(每行一个,按顺序)").fill("组织建设\n基层治理");
  await create.getByRole("button", { name: "新建草稿" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);

  const upload = async (buffer: Buffer) => {
    await page.goto("/plans");
    const row = page.locator("tr", { hasText: title });
    await row.getByLabel("任务清单文件").setInputFiles({
      name: "2018年任务清单.xlsx",
      mimeType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      buffer,
    });
    await row.getByRole("button", { name: "导入" }).click();
  };
  await upload(await workbook(false));
  const problems = page.locator(".import-problems li");
  await expect(problems).toHaveCount(3);
  await expect(problems.nth(0)).toContainText("第 8 行“完成时限”列");
  await expect(problems.nth(1)).toHaveText("第 20 行“牵头单位”列:单位“不存在的科室”不存在");
  await expect(problems.nth(2)).toHaveText("第 34 行“验收标准”列:不能为空");

  await upload(await workbook(true));
  await expect(page.locator(".form-notice")).toHaveText("已导入 40 项任务。请核对后发榜。");
  await page.locator("tr", { hasText: title }).getByRole("button", { name: "发榜" }).click();
  const published = page.locator("tr", { hasText: title });
  await expect(published).toContainText("揭榜中");
  await published.getByRole("link", { name: "查看看板" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(title);
  const cards = page.locator(".task-card");
  await expect(cards).toHaveCount(40);

  // What the board shows, card by card.
  const shown = await cards.evaluateAll((els) =>
    els.map((el) => ({
      number: Number(el.getAttribute("data-number")),
      title: el.querySelector(".task-title")?.textContent?.trim() ?? "",
      lead: el.querySelector(".task-lead")?.textContent?.trim() ?? "",
      light: el.querySelector(".light-badge")?.textContent?.trim() ?? "",
    })),
  );
  expect(shown.map((c) => c.number)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
  expect(shown[17].lead).toBe("葵涌街道党建办");
  expect(shown[18].lead).toBe("待揭榜");

  await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "导出台账(Excel)" }).click(),
  ]);
  const ledger = new ExcelJS.Workbook();
  await ledger.xlsx.load(readFileSync(await download.path()));
  const sheet = ledger.getWorksheet("台账");
  expect(sheet).toBeDefined();
  const text = (v: ExcelJS.CellValue) => (v === null || v === undefined ? "" : String(v).trim());
  const header = (sheet!.getRow(2).values as ExcelJS.CellValue[]).map(text);
  const col = (name: string) => {
    const at = header.indexOf(name);
    expect(at, name).toBeGreaterThan(0);
    return at;
  };
  expect(text(sheet!.getCell(1, 1).value)).toContain(title);
  const rows = [];
  for (let r = 3; r <= sheet!.rowCount; r++) {
    const cells = sheet!.getRow(r);
    if (!text(cells.getCell(col("序号")).value)) continue;
    rows.push({
      number: Number(text(cells.getCell(col("序号")).value)),
      title: text(cells.getCell(col("任务")).value),
      lead: text(cells.getCell(col("牵头单位")).value) || "待揭榜",
      light: text(cells.getCell(col("灯")).value),
      criteria: text(cells.getCell(col("验收标准")).value),
    });
  }
  expect(rows).toHaveLength(40);
  expect(rows.map(({ number, title, lead, light }) => ({ number, title, lead, light }))).toEqual(shown);
  expect(rows[32].criteria).toContain("第33项有台账");
});
