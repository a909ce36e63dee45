import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// Without JavaScript the admin adds a group robot, sees its address only masked, tries it
// (nothing listens at the address, so the log says it could not connect), and turns it off.
// The robot points at a closed local port: no message leaves the machine.
test("the admin sets up a robot, tries it and turns it off", async ({ page }) => {
  await signIn(page, "admin", "/admin/channels");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("消息通道");
  const form = page.locator(".grid-form").first();
  await form.getByLabel("名称").fill("南澳街道党建工作群");
  await form.getByLabel("平台").selectOption({ label: "钉钉" });
  await form.getByLabel("接收范围").selectOption({ label: "南澳街道党建办(负责人、联络员)" });
  await form.getByLabel(/Webhook 网址/).fill("http://127.0.0.1:9/robot/send?access_token=4c0ffee4c0ffee4c0ffee0123");
  // 钉钉 signs: without the secret the form says so under the field.
  await form.getByRole("button", { name: "添加" }).click();
  await expect(page.locator("#robot-secret-error")).toHaveText("签名密钥不能为空");
  await expect(page.locator(".channels")).toHaveCount(0);

  const again = page.locator(".grid-form").first();
  await again.getByLabel("名称").fill("南澳街道党建工作群");
  await again.getByLabel("平台").selectOption({ label: "钉钉" });
  await again.getByLabel("接收范围").selectOption({ label: "南澳街道党建办(负责人、联络员)" });
  await again.getByLabel(/Webhook 网址/).fill("http://127.0.0.1:9/robot/send?access_token=4c0ffee4c0ffee4c0ffee0123");
  await again.getByLabel(/签名密钥/).fill("SECe2e0secret0value");
  await again.getByRole("button", { name: "添加" }).click();
  const row = page.locator(".channels tbody tr", { hasText: "南澳街道党建工作群" });
  await expect(row).toContainText("钉钉");
  await expect(row).toContainText("http://127.0.0.1:9…0123(已加签)");
  // Neither the token nor the secret is anywhere in the page.
  const html = await page.content();
  expect(html).not.toContain("4c0ffee4c0ffee");
  expect(html).not.toContain("SECe2e0secret0value");

  await row.getByRole("button", { name: "发送测试消息" }).click();
  const log = page.locator(".deliveries tbody tr", { hasText: "测试消息" }).first();
  await expect(log).toContainText("南澳街道党建工作群");
  await expect(log).toContainText("发送失败");
  await expect(log).toContainText("连接失败");

  await page.locator(".channels tbody tr", { hasText: "南澳街道党建工作群" }).getByRole("button", { name: "停用" }).click();
  await expect(page.locator(".channels tbody tr", { hasText: "南澳街道党建工作群" })).toContainText("已停用");
});

test("a unit head chooses e-mail for their notices", async ({ page }) => {
  await signIn(page, "yangfan", "/inbox");
  const choice = page.locator(".mail-choice");
  await choice.getByLabel("与我有关的消息同时发送到此邮箱").check();
  await choice.getByRole("button", { name: "保存" }).click();
  await expect(page.locator("#mail-email-error")).toHaveText("电子邮箱不能为空");
  await page.locator(".mail-choice").getByLabel("电子邮箱").fill("yangfan@nasd.gov.cn");
  await page.locator(".mail-choice").getByLabel("与我有关的消息同时发送到此邮箱").check();
  await page.locator(".mail-choice").getByRole("button", { name: "保存" }).click();
  await expect(page.locator(".mail-choice").getByLabel("电子邮箱")).toHaveValue("yangfan@nasd.gov.cn");
  await expect(page.locator(".mail-choice").getByLabel("与我有关的消息同时发送到此邮箱")).toBeChecked();
  // Others cannot open the channels page.
  await page.goto("/admin/channels");
  await expect(page.locator(".error-panel, [role=alert]").first()).toBeVisible();
});
