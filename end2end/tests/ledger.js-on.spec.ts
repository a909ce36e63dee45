import { expect, test } from "@playwright/test";
import { readFileSync } from "node:fs";
import { signIn } from "./helpers";

// The board's 导出台账 link downloads the workbook of what the board shows (the server test reads
// its cells; here the browser must get a real .xlsx file, named after the plan and the date).
test("the board exports its 台账 as an Excel file", async ({ page }) => {
  await signIn(page, "linxh", "/?category=%E7%BA%A2%E8%89%B2%E6%95%99%E8%82%B2");
  await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1);
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "导出台账(Excel)" }).click(),
  ]);
  expect(download.suggestedFilename()).toMatch(/台账_20220729\.xlsx$/);
  const bytes = readFileSync(await download.path());
  expect(bytes.subarray(0, 2).toString()).toBe("PK");
  expect(bytes.length).toBeGreaterThan(4000);
});
