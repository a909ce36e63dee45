import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// Task 27 (党员教育管理科 leads; no other test touches its assessment).
const PAGE = "/scores/tasks/dapeng-2022-27";

test("自评 → 点评 → 考核: the unit self-assesses, the office reviews, the leader confirms, and the ranking shows the scores", async ({ browser }) => {
  const open = async (username: string) => {
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await signIn(page, username, PAGE);
    return page;
  };

  // 党员教育管理科's head: only the 自评 form.
  const unit = await open("liming");
  await expect(unit.locator(".lede")).toContainText("待自评");
  await expect(unit.locator(".review-form")).toHaveCount(0);
  await unit.getByLabel("自评说明").fill("全年按计划推进,组织党员教育培训12期,覆盖率100%,形成“微党课”品牌。");
  await unit.getByLabel("建议完成质量得分").fill("35");
  await unit.getByLabel("建议创新特色得分").fill("8");
  await unit.getByRole("button", { name: "提交自评" }).click();
  await expect(unit.locator(".lede")).toContainText("已自评,待点评");
  await expect(unit.locator(".self-record")).toContainText("形成“微党课”品牌");

  // The office: the unit's proposal prefilled; a score above the marks is refused in words.
  const office = await open("wangfang");
  const form = office.locator(".review-form");
  await expect(form.getByLabel("完成质量得分")).toHaveValue("35.00");
  await form.getByLabel("完成质量得分").fill("41");
  await form.getByLabel("点评意见").fill("培训覆盖面广,品牌有特色。");
  await form.getByRole("button", { name: "提交点评" }).click();
  await expect(office.locator("#rv-quality-error")).toHaveText("完成质量得分须在 0 到 40 之间");
  await office.goto(PAGE);
  await form.getByLabel("完成质量得分").fill("34");
  await form.getByLabel("点评意见").fill("培训覆盖面广,品牌有特色。");
  await form.getByRole("button", { name: "提交点评" }).click();
  await expect(office.locator(".lede")).toContainText("已点评,待考核确认");

  // The leader confirms; the scores are frozen and count.
  const leader = await open("linxh");
  await expect(leader.locator(".review-record")).toContainText("34.00 分 · 8.00 分");
  await leader.getByRole("button", { name: "确认得分" }).click();
  await expect(leader.locator(".lede")).toContainText("已确认");
  await expect(leader.locator(".confirm-record")).toContainText("林晓华");

  await office.goto("/scores?as_of=2022-12-31");
  await expect(office.locator('#unit-dyk tr[data-task="dapeng-2022-27"]')).toContainText("34.00 / 8.00");
  // The unit can no longer change its 自评.
  await unit.goto(PAGE);
  await expect(unit.locator(".self-form")).toHaveCount(0);
});
