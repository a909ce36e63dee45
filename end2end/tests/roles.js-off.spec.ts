import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// Each demo role sees exactly the actions it has, on 葵涌's task 12 (推进中) and on the
// submitted task 16. The server enforces the same rules (see the 403 test below).
const task12 = "/tasks/dapeng-2022-12";
const task16 = "/tasks/dapeng-2022-16";

test("redirects to sign-in without a session", async ({ page }) => {
  await page.goto(task12);
  await expect(page).toHaveURL(/\/login\?next=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("登录揭榜");
});

test("wrong password is refused with a generic message", async ({ page }) => {
  await page.goto("/login");
  await page.getByLabel("用户名").fill("guest");
  await page.getByLabel("密码").fill("wrong-password1");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/login/);
  await expect(page.locator(".form-error")).toHaveText("用户名或密码错误");
});

for (const user of ["guest", "linxh", "yangfan", "admin"]) {
  test(`${user} sees no task actions`, async ({ page }) => {
    await signIn(page, user, task12);
    await expect(page.getByRole("heading", { level: 1 })).toContainText("土洋社区");
    await expect(page.locator(".task-actions")).toHaveCount(0);
  });
}

for (const user of ["jianglin", "liuqiang"]) {
  test(`${user} (葵涌) may submit and report on 葵涌's task`, async ({ page }) => {
    await signIn(page, user, task12);
    const actions = page.locator(".task-actions");
    await expect(actions.locator(".self-check > summary")).toHaveText("提请验收(逐条填写自查情况)");
    await expect(actions.locator(".report-form")).toHaveCount(1);
    await expect(actions.getByRole("button", { name: "验收销号" })).toHaveCount(0);
  });
}

test("the organizer checks a submitted task criterion by criterion; the leader 审定s it", async ({ browser, page }) => {
  await signIn(page, "wangfang", task16);
  const form = page.locator("#acceptance-form");
  await expect(form).toBeVisible();
  // The whole-task buttons are gone: acceptance is decided per criterion.
  await expect(page.locator(".task-actions").getByRole("button", { name: "验收销号" })).toHaveCount(0);
  const criteria = form.locator(".acceptance-criteria > li");
  const n = await criteria.count();
  expect(n).toBeGreaterThan(1);
  // One criterion not met without a comment: refused, with the reason under it.
  for (let i = 0; i < n; i++) {
    await criteria.nth(i).getByLabel(i === 1 ? "未达标" : "达标", { exact: true }).check();
  }
  await form.getByLabel("整改时限(有未达标项时填写)").fill("2022-08-31");
  await form.getByRole("button", { name: "提交验收意见" }).click();
  await expect(page.locator("#acceptance-1-error")).toContainText("核验意见不能为空");
  await expect(page.locator(".task-detail-head .status-badge")).toHaveText("待验收");
  // All met: the round is on record and the task waits for the leader's 审定.
  const again = page.locator("#acceptance-form .acceptance-criteria > li");
  for (let i = 0; i < n; i++) {
    await again.nth(i).getByLabel("达标", { exact: true }).check();
  }
  await page.locator("#acceptance-form").getByRole("button", { name: "提交验收意见" }).click();
  await expect(page.locator(".task-detail-head .status-badge")).toHaveText("待验收");
  await expect(page.locator(".task-badges")).toContainText("核验通过,待领导审定");
  await expect(page.locator("#acceptance")).toContainText("第 1 轮验收:全部达标");
  await expect(page.locator("#acceptance-form")).toHaveCount(0);

  // The leader's 审定 (a plain form): 已销号.
  const leader = await (await browser.newContext({ ...test.info().project.use })).newPage();
  await signIn(leader, "linxh", task16);
  await leader.locator("#sign-off").getByRole("button", { name: "审定销号" }).click();
  await expect(leader.locator(".task-detail-head .status-badge")).toHaveText("已销号");
  await expect(leader.locator("#history")).toContainText("审定销号");
});

test("the admin sees account management", async ({ page }) => {
  await signIn(page, "admin");
  await expect(page.getByRole("navigation", { name: "主导航" }).getByRole("link", { name: "账号管理" })).toBeVisible();
});

test("a direct POST to a forbidden action answers 403 and changes nothing", async ({ page }) => {
  await signIn(page, "yangfan", task12);
  const before = await page.locator(".task-detail").innerText();
  const response = await page.request.post("/api/change_task_status", {
    form: { id: "dapeng-2022-12", version: "1", to: "submitted" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(response.status()).toBe(403);
  const report = await page.request.post("/api/add_report", {
    form: { id: "dapeng-2022-12", percent: "99", done: "x", problems: "", next_steps: "" },
    headers: { origin: new URL(page.url()).origin },
  });
  expect(report.status()).toBe(403);
  await page.reload();
  expect(await page.locator(".task-detail").innerText()).toBe(before);
});

test("signing out ends the session", async ({ page }) => {
  await signIn(page, "guest");
  await page.getByRole("button", { name: "退出", exact: true }).click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login/);
});
