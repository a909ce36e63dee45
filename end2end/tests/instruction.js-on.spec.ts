import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// With JavaScript: the leader writes a 批示 on 葵涌's task 12 and 葵涌's head replies with what
// was done (落实情况); both are threaded under the task and in its history.
test("a leader writes a 批示 and the unit replies", async ({ browser, page }) => {
  const newPage = async () => (await browser.newContext({ ...test.info().project.use })).newPage();
  const task = "/tasks/dapeng-2022-12";
  await signIn(page, "linxh", task);
  await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1);
  const form = page.locator(".comment-form");
  await form.getByLabel("批示").fill("请加快红色文化阵地建设,9月底前见成效");
  await form.getByRole("button", { name: "作出批示" }).click();
  await expect(page.locator(".instruction")).toContainText("请加快红色文化阵地建设");
  await expect(page.locator(".comment-form textarea")).toHaveValue("");

  const head = await newPage();
  await signIn(head, "liuqiang", task);
  await expect(head.locator('.app[data-hydrated="true"]')).toHaveCount(1);
  const instruction = head.locator(".instruction", { hasText: "请加快红色文化阵地建设" });
  await instruction.getByLabel("回复落实情况").fill("已制定阵地提升方案,9月20日前完成布展");
  await instruction.getByRole("button", { name: "回复" }).click();
  await expect(head.locator(".instruction .replies")).toContainText("9月20日前完成布展");
  await expect(head.locator("#history")).toContainText("回复落实情况");

  await page.reload();
  await expect(page.locator(".instruction .replies")).toContainText("9月20日前完成布展");
});
