import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// A report whose 工作进展 is only spaces passes the browser's own checks; the domain refuses it
// and the form shows why, under the field (JavaScript on). Nothing is stored; no other
// test writes to 葵涌's task 12, so the report count cannot move under it.
test("the report form shows the domain's error under the field", async ({ page }) => {
  await signIn(page, "liuqiang", "/tasks/dapeng-2022-12");
  await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1);
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
});
