import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("the admin creates an account that can then sign in, and disables it", async ({ page, browser }) => {
  await signIn(page, "admin", "/admin/accounts");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("账号管理");
  await expect(page.locator('tr[data-username="wangfang"]')).toContainText("督办管理员");
  const form = page.locator(".grid-form");
  await form.getByLabel("用户名").fill("songyu");
  await form.getByLabel("姓名").fill("宋雨");
  await form.getByLabel("角色").selectOption("liaison");
  await form.getByLabel("所属单位").selectOption({ label: "大鹏街道党建办" });
  await form.getByLabel("初始密码").fill("songyu2022ok");
  await form.getByRole("button", { name: "创建" }).click();
  const row = page.locator('tr[data-username="songyu"]');
  await expect(row).toContainText("启用");

  const other = await browser.newPage();
  await other.goto("/login");
  await other.getByLabel("用户名").fill("songyu");
  await other.getByLabel("密码").fill("songyu2022ok");
  await other.getByRole("button", { name: "登录" }).click();
  await expect(other.locator(".site-user")).toContainText("宋雨");

  await row.getByRole("button", { name: "停用" }).click();
  await expect(page.locator('tr[data-username="songyu"]')).toContainText("已停用");
  // Disabling ended the new account's session.
  await other.goto("/");
  await expect(other).toHaveURL(/\/login/);
  await other.close();
});

test("others cannot open account management", async ({ page }) => {
  await signIn(page, "wangfang");
  const response = await page.goto("/admin/accounts");
  expect(response?.status()).toBe(403);
  await expect(page.locator(".error-panel")).toContainText("无权执行此操作");
});

test("units and people: the tree, and the organizer's forms", async ({ page }) => {
  await signIn(page, "guest", "/units");
  await expect(page.locator(".unit-tree").first()).toContainText("新区组织人事局");
  await expect(page.locator(".unit-tree").first()).toContainText("王芳");
  await expect(page.locator(".unit-tree").first()).toContainText("组织科科长");
  await expect(page.getByRole("heading", { name: "新增单位" })).toHaveCount(0);
});
