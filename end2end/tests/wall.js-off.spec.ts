import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

test("the office makes a 大屏 link; a screen opens it without signing in and turns by itself; revoking closes it", async ({ page, browser }) => {
  await signIn(page, "wangfang", "/admin/displays");
  await page.getByLabel("放置地点").fill("二楼小会议室");
  await page.getByLabel("轮播方式").selectOption({ label: "按牵头单位轮播" });
  await page.getByLabel("每屏停留(秒)").fill("10");
  await page.getByRole("button", { name: "生成链接" }).click();
  const made = page.locator(".made-link a");
  await expect(made).toBeVisible();
  const path = (await made.getAttribute("href"))!;
  expect(path).toMatch(/^\/wall\/[0-9a-f]{64}$/);

  // The meeting-room screen: a fresh browser, nobody signed in.
  const screen = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await screen.setViewportSize({ width: 1920, height: 1080 });
  const answer = await screen.goto(path);
  expect(answer?.status()).toBe(200);
  await expect(screen.locator(".wall-head h1")).toHaveText("大鹏新区2022年度基层党建重点任务");
  await expect(screen.locator(".wall-meta")).toContainText("二楼小会议室");
  await expect(screen.locator(".site-header")).toBeHidden();
  // One lead unit per screen; without JavaScript the page reloads onto the next one.
  const first = await screen.locator(".wall-screen h2").innerText();
  expect(await screen.locator(".wall-row").count()).toBeGreaterThan(0);
  await screen.waitForURL(/page=1/, { timeout: 15_000 });
  await expect(screen.locator(".wall-screen h2")).not.toHaveText(first);

  // The office revokes it: the screen's next load says so.
  await page.getByRole("row", { name: /二楼小会议室/ }).getByRole("button", { name: "收回" }).click();
  await expect(page.getByRole("row", { name: /二楼小会议室/ })).toContainText("已收回");
  const gone = await screen.goto(path);
  expect(gone?.status()).toBe(404);
  await expect(screen.getByRole("heading", { level: 1 })).toHaveText("该大屏链接已收回或不存在");
});
