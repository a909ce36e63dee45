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
