import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("量化考评: the office reads the year-end ranking with its breakdown, refuses a bad 考评细则 in words and saves a good one; a unit sees only its own line", async ({ page, browser }) => {
  await signIn(page, "wangfang", "/scores?as_of=2022-12-31");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("大鹏新区2022年度基层党建重点任务 · 量化考评");
  const rows = page.locator("table.ranking tbody tr");
  expect(await rows.count()).toBeGreaterThanOrEqual(10);
  await expect(rows.first().locator(".rank")).toHaveText(/^1/);
  // Every unit's breakdown says why: task 19 handed in 6-30 and 销号ed 7-6, before its 6-30 deadline.
  await expect(page.locator('tr[data-task="dapeng-2022-19"]').first()).toContainText("6月30日提请验收、7月6日销号,在原定时限6月30日前完成");
  await expect(page.locator(".unit-score").first()).toContainText("第1名");

  // A quarter's end in one click; the ranking is taken as of that day.
  await page.getByRole("link", { name: "二季度末" }).click();
  await expect(page.locator(".lede")).toContainText("截至2022年6月30日");
  await page.getByRole("link", { name: "年度末" }).click();
  await expect(page.locator(".lede")).toContainText("截至2022年12月31日");

  // Streets ranked among themselves.
  await page.getByRole("link", { name: "街道", exact: true }).click();
  await expect(page).toHaveURL(/group=streets/);
  await expect(rows).toHaveCount(3);
  await expect(rows.first().locator(".rank")).toHaveText(/^1/);

  // A rubric whose weights do not add up to 100: refused under the field, nothing saved.
  const form = page.locator(".rubric-form");
  await form.getByLabel("完成质量(分)").fill("30");
  await form.getByRole("button", { name: "保存考评细则" }).click();
  await expect(form.locator("#rubric-on_time-error")).toHaveText("四项分值合计须为 100 分(现为 90 分)");
  await expect(page.locator("table.ranking thead")).toContainText("完成质量(40)");

  // 45 / 40 / 5 / 10: saved, and the ranking is computed by it. (The judged items keep their
  // marks: the assessment test scores against them at the same time.)
  await page.goto("/scores?as_of=2022-12-31");
  await form.getByLabel("按期完成(分)").fill("45");
  await form.getByLabel("报送及时(分)").fill("5");
  await form.getByRole("button", { name: "保存考评细则" }).click();
  await expect(page.locator("table.ranking thead")).toContainText("按期完成(45)");
  await expect(page.locator(".rubric")).toContainText("按期完成 45 分");

  // 葵涌's head: its own score and place, nobody else's.
  const unit = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await signIn(unit, "liuqiang", "/scores?as_of=2022-12-31");
  await expect(unit.locator("table.ranking tbody tr")).toHaveCount(1);
  await expect(unit.locator("table.ranking tbody tr")).toContainText("葵涌街道党建办");
  await expect(unit.getByText("本页只显示本单位的得分和名次")).toBeVisible();
  await expect(unit.locator(".rubric-form")).toHaveCount(0);
});
