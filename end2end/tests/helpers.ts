import { expect, type Page } from "@playwright/test";

/** The password of every demo account (see README.md). */
export const DEMO_PASSWORD = "jiebang2022";

/** Signs in through the sign-in page (works with JavaScript on or off). */
export async function signIn(page: Page, username: string, next = "/") {
  await page.goto(`/login?next=${encodeURIComponent(next)}`);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).not.toHaveURL(/\/login/);
}

/**
 * A report whose 工作进展 is only spaces passes the browser's own checks; the domain refuses it
 * and the form shows why, under the field. Nothing is stored; no other test writes to 葵涌's
 * task 12, so the report count cannot move under it. Run with JavaScript on and off.
 */
export async function reportFormShowsDomainError(page: Page, hydrated: boolean) {
  await signIn(page, "liuqiang", "/tasks/dapeng-2022-12");
  if (hydrated) await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1);
  const form = page.locator(".report-form");
  // With JavaScript the sign-in navigates on the client: wait for the task page itself.
  await expect(form).toBeVisible();
  await expect(page.locator(".reports .report").first()).toBeVisible();
  const reports = await page.locator(".reports .report").count();
  await form.getByLabel("完成进度(%)").fill("60");
  await form.getByLabel("工作进展").fill("   ");
  await form.getByRole("button", { name: "报送" }).click();
  await expect(form.locator("#report-done-error")).toHaveText("工作进展不能为空");
  await expect(form.locator('textarea[name="done"]')).toHaveAttribute("aria-invalid", "true");
  await expect(page.locator(".reports .report")).toHaveCount(reports);
}

/**
 * The office (signed in on `office`) posts a one-task list of `year` through the forms — create
 * the draft, import a CSV of one row, 发榜 — and opens the task. Returns the task page's path.
 */
export async function postOneTaskList(office: Page, year: string, title: string, task: string): Promise<string> {
  const [path] = await postTaskList(office, year, title, [{ title: task, criteria: ["有台账"] }]);
  return path;
}

/** One row of a posted list: its title, 验收标准 and 完成时限 (default: the end of the year). */
export type ListedTask = { title: string; criteria: string[]; deadline?: string };

/**
 * The office posts a list of `year` with `tasks` (create the draft, import a CSV, 发榜) and
 * opens the first task. Returns each task's page path, in order.
 */
export async function postTaskList(office: Page, year: string, title: string, tasks: ListedTask[]): Promise<string[]> {
  await office.goto("/plans");
  const create = office.locator(".grid-form");
  await create.getByLabel("年度").fill(year);
  await create.getByLabel("清单名称").fill(title);
  await create.getByLabel("任务类别(每行一个,按顺序)").fill("组织建设");
  await create.getByRole("button", { name: "新建草稿" }).click();
  await expect(office.getByRole("heading", { level: 1 })).toHaveText(title);
  await office.goto("/plans");
  const row = office.locator("tr", { hasText: title });
  const lines = tasks.map((t, i) => `${i + 1},组织建设,${t.title},${t.deadline ?? `${year}-12-31`},"${t.criteria.join("\n")}"`);
  await row.getByLabel("任务清单文件").setInputFiles({
    name: "清单.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(`序号,类别,任务,完成时限,验收标准\n${lines.join("\n")}\n`),
  });
  await row.getByRole("button", { name: "导入" }).click();
  await office.locator("tr", { hasText: title }).getByRole("button", { name: "发榜" }).click();
  await office.locator("tr", { hasText: title }).getByRole("link", { name: "查看看板" }).click();
  const paths: string[] = [];
  for (const t of tasks) {
    const href = await office.locator(".task-card", { hasText: t.title }).locator(".task-link").getAttribute("href");
    paths.push(href ?? "");
  }
  await office.goto(paths[0]);
  return paths;
}
