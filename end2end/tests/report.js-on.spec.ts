import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// 南澳's head reports on 南澳's task 23; no other test touches that task, so the suites can run
// in parallel against one server.
test("a unit head files a report with a file and the page shows it without a reload", async ({ page }) => {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(String(err)));
  await signIn(page, "yangfan", "/tasks/dapeng-2022-23");
  await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 3));
  const form = page.locator(".report-form");
  await form.getByLabel("完成进度(%)").fill("50");
  await form.getByLabel("工作进展").fill("完成暑期亲子心理健康活动6场");
  // The page sends the form itself (with its evidence file), showing upload progress.
  await form.getByLabel("佐证材料").setInputFiles({
    name: "活动照片.png",
    mimeType: "image/png",
    buffer: Buffer.from("89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de", "hex"),
  });
  await form.getByRole("button", { name: "报送" }).click();
  await expect(page.locator(".reports .report").first()).toContainText("完成暑期亲子心理健康活动6场");
  await expect(page.locator(".reports .report").first().getByRole("link", { name: "活动照片.png" })).toBeVisible();
  await expect(page.locator("#reports .notice")).toHaveText("已报送。");
  await expect(page.locator(".detail-facts")).toContainText("50%");
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(3);
  expect(errors).toEqual([]);
});
