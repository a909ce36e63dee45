import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n");

// Without JavaScript: 南澳's head reports on 南澳's task 38 with an evidence file and a
// milestone reached (no other test writes to task 38). A disguised program is refused first.
test("a report with an evidence file works without JavaScript", async ({ page }) => {
  await signIn(page, "yangfan", "/tasks/dapeng-2022-38");
  const form = page.locator(".report-form");
  await expect(form).toBeVisible();
  const before = await page.locator(".reports .report").count();

  // A program renamed .pdf: refused, with the reason under the file field; nothing filed.
  await form.getByLabel("完成进度(%)").fill("45");
  await form.getByLabel("工作进展").fill("完成述职评议方案起草");
  await form.getByLabel("佐证材料").setInputFiles({
    name: "方案.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00", "binary"),
  });
  await form.getByRole("button", { name: "报送" }).click();
  await expect(page.locator("#report-files-error")).toContainText("内容与文件类型不符");
  await expect(page.locator(".reports .report")).toHaveCount(before);

  // The real file, and the first open milestone reached yesterday.
  await form.getByLabel("完成进度(%)").fill("45");
  await form.getByLabel("工作进展").fill("完成述职评议方案起草");
  await form.getByLabel("佐证材料").setInputFiles({ name: "述职评议方案.pdf", mimeType: "application/pdf", buffer: PDF });
  const reached = form.locator(".reached-row").first();
  await reached.getByRole("checkbox").check();
  await reached.getByLabel("达成日期").fill("2022-07-28");
  await form.getByRole("button", { name: "报送" }).click();
  await expect(page.locator("#reports .notice")).toHaveText("已报送。");
  const report = page.locator(".reports .report").first();
  await expect(report).toContainText("完成述职评议方案起草");
  await expect(report).toContainText("2022年7月28日达成");
  await expect(page.locator(".reports .report")).toHaveCount(before + 1);
  const link = report.getByRole("link", { name: "述职评议方案.pdf" });
  const href = await link.getAttribute("href");
  const file = await page.request.get(href ?? "");
  expect(file.status()).toBe(200);
  expect(file.headers()["content-type"]).toBe("application/pdf");
  expect(Buffer.from(await file.body()).equals(PDF)).toBe(true);
  await expect(page.locator(".detail-facts")).toContainText("45%");
});
