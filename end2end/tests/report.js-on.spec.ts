import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("a liaison files a report and the page shows it without a reload", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(String(err)));
  await signIn(page, "jianglin", "/tasks/dapeng-2022-12");
  await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 3));
  const form = page.locator(".report-form");
  await form.getByLabel("完成进度(%)").fill("50");
  await form.getByLabel("已完成工作").fill("完成红色文化阵地提升方案评审");
  await form.getByRole("button", { name: "提交填报" }).click();
  await expect(page.locator(".reports .report").first()).toContainText("完成红色文化阵地提升方案评审");
  await expect(page.locator(".detail-facts")).toContainText("50%");
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(3);
  expect(errors).toEqual([]);
});
