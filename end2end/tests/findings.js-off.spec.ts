import { expect, test } from "@playwright/test";
import { signIn } from "./helpers";

// Task 14 (党员教育管理科): its acceptance failed on 7-26 (指引 not yet issued). No other test
// turns it into a 整改清单 item.
const TASK = "/tasks/dapeng-2022-14";
const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de",
  "hex",
);

test("整改清单: a finding from a failed acceptance is rectified with evidence and 销号ed", async ({ browser }) => {
  const open = async (username: string, path: string) => {
    const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
    await signIn(page, username, path);
    return page;
  };

  // The office turns the failed round into an item: problem, unit and 整改时限 come drafted.
  const office = await open("wangfang", TASK);
  await office.locator("#acceptance").getByRole("link", { name: "列入整改清单" }).click();
  const form = office.locator(".finding-form");
  await expect(form.getByLabel("问题描述")).toHaveValue(/指引正式印发/);
  await expect(form.getByLabel("责任单位")).toHaveValue("dyk");
  await expect(form.getByLabel("整改时限")).toHaveValue("2022-09-15");
  await form.getByLabel("整改措施").fill("8月底前完成征求意见,9月10日前正式印发《流动党员管理指引》并报送文件。");
  await form.getByRole("button", { name: "列入整改清单" }).click();
  const row = office.locator("table.findings tr", { hasText: "指引正式印发" });
  await expect(row).toContainText("党员教育管理科");
  await expect(row).toContainText("整改中");
  const item = (await row.getByRole("link").first().getAttribute("href")) ?? "";
  expect(item).toMatch(/^\/rectify\//);

  // 党员教育管理科 reports it done, with the issued document as evidence.
  const unit = await open("liming", item);
  await expect(unit.locator(".decide-form")).toHaveCount(0);
  const progress = unit.locator("#progress-form");
  await progress.getByLabel("整改进展").fill("《流动党员管理指引》已于9月5日正式印发,附印发文件。");
  await progress.getByLabel("佐证材料").setInputFiles({ name: "指引印发文件.png", mimeType: "image/png", buffer: PNG });
  await progress.getByLabel("整改已完成,申请销号").check();
  await progress.getByRole("button", { name: "报送" }).click();
  await expect(unit.locator(".notice.saved")).toContainText("等待组织人事局审核销号");
  await expect(unit.locator(".lede")).toContainText("待销号");
  await expect(unit.locator(".finding-record")).toContainText("整改完成,申请销号");
  await expect(unit.locator(".finding-record").getByRole("link", { name: "指引印发文件.png" })).toBeVisible();
  await expect(unit.locator("#progress-form")).toHaveCount(0);

  // The office checks the evidence and 销号s it.
  await office.goto(item);
  await expect(office.locator(".finding-record")).toContainText("已于9月5日正式印发");
  const decide = office.locator(".decide-form");
  await decide.getByLabel("整改到位,同意销号").check();
  await decide.getByLabel("审核意见").fill("已核对印发文件,同意销号。");
  await decide.getByRole("button", { name: "提交审核" }).click();
  await expect(office.locator(".lede")).toContainText("已销号");
  await expect(office.locator(".finding-record")).toContainText("审核销号");
  await expect(office.locator(".decide-form")).toHaveCount(0);

  // The list counts it among the closed ones.
  await office.goto("/rectify?status=closed");
  await expect(office.locator("table.findings tr", { hasText: "指引正式印发" })).toContainText("已销号");
});
