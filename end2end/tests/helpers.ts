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
