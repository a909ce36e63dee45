import { expect, test, type Page } from "@playwright/test";
import { signIn } from "./helpers";

test.beforeEach(async ({ page }) => {
  await signIn(page, "guest");
});

// With JavaScript on the page hydrates: filtering happens as you type and links navigate on
// the client, all without console errors.

function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") errors.push(msg.text());
  });
  page.on("pageerror", (err) => errors.push(String(err)));
  return errors;
}

async function hydrated(page: Page) {
  await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1);
}

test("board hydrates and filters as you type", async ({ page }) => {
  const errors = collectErrors(page);
  await page.goto("/");
  await hydrated(page);
  await expect(page.locator(".task-card")).toHaveCount(42);
  // A marker on window survives only if nothing reloads the page.
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 42));

  await page.getByRole("searchbox").fill("小区");
  await expect(page.locator(".task-card")).toHaveCount(1);
  await expect(page.locator(".board-count")).toHaveText("显示 1 / 42 项任务");
  await page.getByRole("searchbox").fill("");
  await expect(page.locator(".task-card")).toHaveCount(42);

  await page.getByRole("navigation", { name: "按类别筛选" }).getByRole("link", { name: /红色教育/ }).click();
  await expect(page).toHaveURL(/category=/);
  await expect(page.locator(".task-card")).toHaveCount(6);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(42);
  expect(errors).toEqual([]);
});

test("client-side navigation to a task and back", async ({ page }) => {
  const errors = collectErrors(page);
  // Each page's code is a piece of wasm of its own: the board does not fetch the task page's.
  const wasm: string[] = [];
  page.on("request", (request) => {
    const name = new URL(request.url()).pathname;
    if (name.endsWith(".wasm")) wasm.push(name);
  });
  await page.goto("/");
  await hydrated(page);
  expect(wasm.some((name) => name.includes("board_route"))).toBe(true);
  expect(wasm.some((name) => name.includes("task_route"))).toBe(false);
  await page.evaluate(() => ((window as unknown as { marker: number }).marker = 7));
  await page.locator('.task-card[data-number="12"] .task-link').click();
  await expect(page.getByRole("heading", { level: 1 })).toContainText("土洋社区“红色村”试点建设");
  expect(wasm.some((name) => name.includes("task_route"))).toBe(true);
  await expect(page.locator(".milestones li")).toHaveCount(3);
  expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(7);
  await page.goBack();
  await expect(page.locator(".task-card")).toHaveCount(42);
  expect(errors).toEqual([]);
});

test("the board is usable on a 375 px phone", async ({ page }) => {
  const errors = collectErrors(page);
  await page.setViewportSize({ width: 375, height: 812 });
  await page.goto("/");
  await hydrated(page);
  await expect(page.locator(".task-card")).toHaveCount(42);
  // Nothing makes the page itself scroll sideways.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  // Every card fits the screen's width.
  for (const box of await page.locator(".task-card").evaluateAll((cards) =>
    cards.map((c) => c.getBoundingClientRect()).map((r) => ({ left: r.left, right: r.right })),
  )) {
    expect(box.left).toBeGreaterThanOrEqual(0);
    expect(box.right).toBeLessThanOrEqual(375);
  }
  // Search, the summary and the views are within reach, and a card opens its task.
  await page.getByRole("searchbox").fill("小区");
  await expect(page.locator(".task-card")).toHaveCount(1);
  await expect(page.getByRole("link", { name: "一览表" })).toBeVisible();
  await page.locator(".task-card a").first().click();
  await expect(page).toHaveURL(/\/tasks\//);
  await expect(page.locator("h1")).toContainText("小区");
  expect(errors).toEqual([]);
});
