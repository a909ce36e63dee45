import { expect, test } from "@playwright/test";
import { postOneTaskList, signIn } from "./helpers";

// Without JavaScript: the office posts a one-task list (2016, so the current board stays the
// demo's) and assigns the task to 葵涌 with its 责任人 and 岗位 (交办); it shows 待签收 until
// 葵涌's head 签收s it; the history names both steps.
test("the office assigns a task and the unit acknowledges it", async ({ browser, page }) => {
  const title = "2016年度党建重点任务(交办)";
  const newPage = async () => (await browser.newContext({ ...test.info().project.use })).newPage();
  const office = page;
  await signIn(office, "wangfang", "/plans");
  const taskPath = await postOneTaskList(office, "2016", title, "党群服务阵地提升");

  const assign = office.locator("form", { has: office.locator('select[name="unit"]') });
  // (A label around a select also reads the selected option, so the selects go by name.)
  await assign.locator('select[name="unit"]').selectOption({ label: "葵涌街道党建办" });
  await assign.locator('select[name="owner"]').selectOption({ label: "刘强 · 葵涌街道党建办" });
  await assign.getByLabel("岗位").fill("党建办主任");
  await assign.getByRole("button", { name: "交办" }).click();
  await expect(office.locator(".task-badges")).toContainText("待签收");
  await expect(office.locator(".detail-facts")).toContainText("刘强");
  await expect(office.locator(".detail-facts")).toContainText("党建办主任");

  const head = await newPage();
  await signIn(head, "liuqiang", taskPath);
  await expect(head.locator(".task-badges")).toContainText("今日交办,待签收");
  await head.getByRole("button", { name: "签收" }).click();
  await expect(head.locator(".task-badges")).toContainText("推进中");
  const history = head.locator("#history");
  await expect(history).toContainText("签收");
  await expect(history).toContainText("交办");
});
