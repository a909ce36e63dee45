import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// 葵涌's 述责 and 南澳's pending 减分 belong to this file only.
test("述责 and 积分: the head rewrites the unit's 述责, the office's 评议 freezes it; a leader approves a 减分 and the ranking counts it", async ({ browser }) => {
  const open = async (username: string, path: string) => {
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await signIn(page, username, path);
    return page;
  };

  // The three levels of the 责任清单, each duty with its tasks.
  const head = await open("liuqiang", "/duties");
  await expect(head.locator("#level-main .duty")).toHaveCount(2);
  await expect(head.locator("#level-member .duty").first()).toContainText("12. 土洋社区“红色村”试点建设");
  const form = head.locator(".statement-form");
  await expect(form.getByRole("textbox")).toHaveValue(/双报到/);
  await form.getByRole("textbox").fill("上半年街道党工委书记带头研究部署重点任务,承担的任务均按月报送进展;“双报到”台账已于7月底补齐。");
  await form.getByRole("button", { name: "修改述责" }).click();
  await expect(head.locator('tr[data-unit="kysd"]')).toContainText("葵涌街道党建办 刘强");
  await expect(head.locator('tr[data-unit="kysd"]')).toContainText("待评议");

  // The office: below 好 needs why; then the 评议 stands.
  const office = await open("wangfang", "/duties");
  const row = office.locator('tr[data-unit="kysd"]');
  await row.getByLabel("评议等次").selectOption("fair");
  await row.getByRole("button", { name: "提交评议" }).click();
  await expect(office.locator("#rv-kysd-note-error")).toContainText("评议意见");
  await office.goto("/duties");
  await row.getByLabel("评议等次").selectOption("fair");
  await row.getByLabel("评议意见").fill("书记抓党建有力,台账规范性仍需加强");
  await row.getByRole("button", { name: "提交评议" }).click();
  await expect(row.locator(".rating")).toHaveText("较好");

  await head.goto("/duties");
  await expect(head.locator(".statement-form")).toHaveCount(0);
  await expect(head.locator('tr[data-unit="kysd"] .rating')).toHaveText("较好");

  // 积分: the leader approves 南澳's pending 减分; the ranking's 积分加减 shows it.
  const leader = await open("linxh", "/scores/points");
  const pending = leader.locator("table.points-entries tr", { hasText: "公示栏未按要求更新" });
  await pending.getByLabel("批准", { exact: true }).check();
  await pending.getByRole("button", { name: "提交审批" }).click();
  await expect(pending).toContainText("已批准");
  await expect(leader.locator('.balance[data-unit="nasd"]')).toContainText("合计 -0.50");
  await leader.goto("/scores");
  await expect(leader.locator('table.ranking tr[data-unit="nasd"] .adjustment')).toHaveText("-0.50");
});
