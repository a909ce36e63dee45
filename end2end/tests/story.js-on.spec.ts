import { expect, test, type Browser, type Page } from "@playwright/test";
import { postTaskList, signIn } from "./helpers";

// The year of a task, with JavaScript, with the demo's people, each in a browser of their own:
// the office posts a list (2015, so the demo's board stays current); 葵涌 and 南澳 claim the
// same task, the office confirms 葵涌 and declines 南澳 with a reason; the office 交办s the
// other task to 南澳, which 签收s it from its inbox; 葵涌's liaison drafts a report with a
// file and the head 报送s it; a 延期申请 goes 初审 → 审定; acceptance fails one criterion, the
// task is reworked and 销号; a leader's 批示 gets its reply. At each step the person concerned
// finds it on their 工作台 and in their inbox, and the history names every step.

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n");
const T1 = "红色驿站共建试点";
const T2 = "墟镇党群阵地提升";

// Six browsers load the (debug) wasm at once beside the other suites: hydration may take a while.
async function hydrated(page: Page) {
  await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
}

async function person(browser: Browser, user: string, path = "/work"): Promise<Page> {
  const page = await (await browser.newContext({ ...test.info().project.use })).newPage();
  await signIn(page, user, path);
  await hydrated(page);
  return page;
}

/** Opens the folded 提请验收 form. The page re-renders its 办理 box when a report lands, which
 * may fold it again right after a click: once the page is no longer fetching (its frame says
 * aria-busy while it does), open it until its fields show. */
async function openSelfCheck(page: Page) {
  const details = page.locator("details.self-check");
  await expect(async () => {
    await expect(page.locator("fieldset.live-frame")).toHaveAttribute("aria-busy", "false", { timeout: 1_000 });
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) {
      await details.locator("summary").click();
    }
    await expect(page.locator("#self-check-form textarea").first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
}

/** The items of one 工作台 shelf, after loading the 工作台 afresh (the server renders it
 * whole: no need to wait for the page's script). */
async function shelf(page: Page, code: string) {
  await page.goto("/work");
  return page.locator(`[data-shelf="${code}"] .work-item`);
}

/** The items about `task` on one 工作台 shelf. */
async function onShelf(page: Page, code: string, task: string) {
  return (await shelf(page, code)).filter({ hasText: task });
}

/** The inbox's message of `kind` about `task` (loaded afresh). */
async function notice(page: Page, kind: string, task: string) {
  await page.goto("/inbox");
  return page.locator(".notice", { hasText: kind }).filter({ hasText: task });
}

test("the whole year of a task, every person's 工作台 and inbox along the way", async ({ browser, page }) => {
  test.setTimeout(300_000);
  const office = page;
  await signIn(office, "wangfang", "/plans");
  const [t1, t2] = await postTaskList(office, "2015", "2015年度党建重点任务(全流程)", [
    { title: T1, criteria: ["建成驿站不少于3个", "驿站服务台账完整"], deadline: "2015-11-30" },
    { title: T2, criteria: ["阵地改造完成"] },
  ]);

  // 揭榜认领: two streets claim the same task.
  const kuiyong = await person(browser, "liuqiang", t1);
  const nanao = await person(browser, "yangfan", t1);
  for (const [head, pledge] of [
    [kuiyong, "葵涌依托社区党群服务站建设驿站"],
    [nanao, "南澳依托墟镇老街建设驿站"],
  ] as const) {
    await head.goto(t1);
    await hydrated(head);
    await head.locator(".claim-form").getByLabel("承诺与工作思路").fill(pledge);
    await head.locator(".claim-form").getByRole("button", { name: "揭榜认领" }).click();
    await expect(head.locator(".claim .claim-status")).toHaveText("待挂牌");
  }
  await expect(await onShelf(office, "claims_to_decide", T1)).toHaveCount(2);
  await expect(await notice(office, "新的揭榜认领", T1)).toHaveCount(2);
  await expect(await onShelf(kuiyong, "my_claims", T1)).toHaveCount(1);

  // 确认挂牌 for 葵涌; 南澳's claim is declined with the reason, which 南澳 reads.
  await office.goto(t1);
  await hydrated(office);
  const kysd = office.locator('.claim[data-unit="kysd"]');
  await kysd.getByLabel("其他认领不予挂牌的理由").fill("葵涌社区站点基础更好");
  await kysd.getByRole("button", { name: "确认挂牌" }).click();
  await expect(office.locator(".task-badges")).toContainText("推进中");
  await expect(await notice(kuiyong, "认领已确认挂牌", T1)).toHaveCount(1);
  await expect(await notice(nanao, "认领不予挂牌", T1)).toContainText("葵涌社区站点基础更好");
  await expect(await onShelf(nanao, "my_claims", T1)).toContainText("葵涌社区站点基础更好");
  await expect(await onShelf(office, "claims_to_decide", T1)).toHaveCount(0);

  // 交办 → 签收: 南澳 finds the task on its 工作台 and in its inbox, and signs for it.
  await office.goto(t2);
  await hydrated(office);
  const assign = office.locator("form", { has: office.locator('select[name="unit"]') });
  await assign.locator('select[name="unit"]').selectOption({ label: "南澳街道党建办" });
  await assign.locator('select[name="owner"]').selectOption({ label: "杨帆 · 南澳街道党建办" });
  await assign.getByLabel("岗位").fill("党建办主任");
  await assign.getByRole("button", { name: "交办" }).click();
  await expect(office.locator(".task-badges")).toContainText("待签收");
  await expect(await onShelf(nanao, "to_sign", T2)).toHaveCount(1);
  await expect(await onShelf(office, "awaiting_sign", T2)).toHaveCount(1);
  const assigned = await notice(nanao, "交办任务待签收", T2);
  await assigned.getByRole("button").click();
  await expect(nanao).toHaveURL(new RegExp(`${t2}$`));
  // The address changes before the task page's lazily loaded view replaces the inbox (whose
  // buttons also say 签收), so wait for the task page itself.
  await expect(nanao.locator(".task-badges")).toContainText("待签收");
  await nanao.getByRole("button", { name: "签收", exact: true }).click();
  await expect(nanao.locator(".task-badges")).toContainText("推进中");
  // Opened, the message is read.
  await expect((await notice(nanao, "交办任务待签收", T2)).first()).toHaveClass(/\bread\b/);
  await expect(await notice(office, "交办任务已签收", T2)).toHaveCount(1);

  // 填报: 葵涌's liaison drafts a report with a file; the head finds it and 报送s it.
  const liaison = await person(browser, "jianglin", t1);
  const form = liaison.locator(".report-form");
  await form.getByLabel("完成进度(%)").fill("40");
  await form.getByLabel("工作进展").fill("完成2个驿站选址和改造方案");
  await form.getByLabel("佐证材料").setInputFiles({ name: "改造方案.pdf", mimeType: "application/pdf", buffer: PDF });
  await form.getByRole("button", { name: "提交负责人审核" }).click();
  await expect(liaison.locator(".reports .report").first()).toContainText("待审核");
  await expect(await onShelf(kuiyong, "drafts_to_approve", T1)).toHaveCount(1);
  await expect(await notice(kuiyong, "进度报告待审核", T1)).toHaveCount(1);
  await kuiyong.goto(t1);
  await hydrated(kuiyong);
  await kuiyong.locator(".report-review").getByRole("button", { name: "报送" }).click();
  await expect(kuiyong.locator(".detail-facts")).toContainText("40%");
  await expect(await notice(liaison, "进度报告已报送", T1)).toHaveCount(1);

  // 更正: the head corrects the 报送ed report with a new one; the first stays as it was.
  await kuiyong.goto(t1);
  await hydrated(kuiyong);
  await kuiyong.locator(".reports .report").first().getByRole("link", { name: "更正" }).click();
  await expect(kuiyong.locator(".correction-note")).toBeVisible();
  const fix = kuiyong.locator(".report-form");
  await fix.getByLabel("完成进度(%)").fill("45");
  await fix.getByLabel("工作进展").fill("完成3个驿站选址和改造方案(更正:漏报1个)");
  await fix.getByRole("button", { name: "报送" }).click();
  await expect(kuiyong.locator(".reports .report").first()).toContainText("更正报送");
  await expect(kuiyong.locator(".reports .report")).toHaveCount(2);
  await expect(kuiyong.locator(".reports .report").nth(1)).toContainText("完成2个驿站选址和改造方案");
  await expect(kuiyong.locator(".correction-note")).toHaveCount(0);
  await expect(kuiyong.locator(".detail-facts")).toContainText("45%");
  // The office is told of both: the report and its correction.
  await expect(await notice(office, "新的进度报送", T1)).toHaveCount(2);

  // 延期申请 → 初审 → 审定; both dates are shown.
  await kuiyong.goto(t1);
  await hydrated(kuiyong);
  const request = kuiyong.locator(".request-form");
  await request.getByLabel("申请延至").fill("2015-12-31");
  await request.getByLabel("延期理由").fill("驿站选址需征求物业意见,需顺延一个月");
  await request.getByRole("button", { name: "提交延期申请" }).click();
  await expect(kuiyong.locator(".request .request-status")).toHaveText("待初审");
  await expect(await onShelf(office, "requests_to_review", T1)).toHaveCount(1);
  await office.goto(t1);
  await hydrated(office);
  await office.locator(".request").getByRole("button", { name: "初审通过" }).click();
  await expect(office.locator(".request .request-status")).toHaveText("待审定");
  const leader = await person(browser, "linxh");
  await expect(await onShelf(leader, "requests_to_decide", T1)).toHaveCount(1);
  await expect(await notice(leader, "申请待审定", T1)).toHaveCount(1);
  await leader.goto(t1);
  await hydrated(leader);
  await leader.locator(".request").getByRole("button", { name: "批准延期" }).click();
  await expect(leader.locator(".request .request-status")).toHaveText("已批准");
  await expect(leader.locator(".detail-facts")).toContainText("2015年12月31日");
  await expect(leader.locator(".original-deadline")).toContainText("原定 2015年11月30日");
  await expect(await notice(kuiyong, "申请已批准", T1)).toHaveCount(1);
  await expect(await onShelf(kuiyong, "my_requests", T1)).toContainText("已批准");

  // 批示 and 落实情况.
  await leader.goto(t1);
  await hydrated(leader);
  await leader.locator(".comment-form").getByLabel("批示").fill("驿站要与新就业群体服务结合,年底前见实效");
  await leader.locator(".comment-form").getByRole("button", { name: "作出批示" }).click();
  await expect(leader.locator(".instruction")).toContainText("年底前见实效");
  await expect(await notice(kuiyong, "收到领导批示", T1)).toHaveCount(1);
  await kuiyong.goto(t1);
  await hydrated(kuiyong);
  const instruction = kuiyong.locator(".instruction", { hasText: "年底前见实效" });
  await instruction.getByLabel("回复落实情况").fill("已在驿站增设快递小哥休息区");
  await instruction.getByRole("button", { name: "回复" }).click();
  await expect(kuiyong.locator(".instruction .replies")).toContainText("快递小哥休息区");
  await expect(await notice(leader, "批示落实情况", T1)).toHaveCount(1);
  await expect(await onShelf(leader, "replies", T1)).toHaveCount(1);

  // 提请验收; one criterion fails → 退回整改; reworked, resubmitted, 销号.
  await kuiyong.goto(t1);
  await hydrated(kuiyong);
  // 提请验收 with a 自查 of each criterion.
  const selfCheck = kuiyong.locator("#self-check-form");
  await openSelfCheck(kuiyong);
  await selfCheck.getByLabel("自查情况").nth(0).fill("已建成3个驿站并投用");
  await selfCheck.getByLabel("自查情况").nth(1).fill("服务台账已建立");
  await selfCheck.getByRole("button", { name: "提请验收" }).click();
  await expect(kuiyong.locator(".task-badges")).toContainText("待验收");
  await expect(await onShelf(office, "acceptance_to_check", T1)).toHaveCount(1);
  await expect(await notice(office, "任务提交验收", T1)).toHaveCount(1);
  await office.goto(t1);
  await hydrated(office);
  const review = office.locator("#acceptance-form .acceptance-criteria > li");
  await expect(review.nth(0)).toContainText("自查:已建成3个驿站并投用");
  await review.nth(0).getByLabel("达标", { exact: true }).check();
  await review.nth(1).getByLabel("未达标", { exact: true }).check();
  await review.nth(1).getByLabel("核验意见").fill("服务台账缺8月以后记录");
  await office.locator("#acceptance-form").getByLabel("整改时限(有未达标项时填写)").fill("2022-08-31");
  await office.locator("#acceptance-form").getByRole("button", { name: "提交验收意见" }).click();
  await expect(office.locator(".task-detail-head .status-badge")).toHaveText("退回整改");
  await expect(await notice(kuiyong, "验收未通过,退回整改", T1)).toContainText("服务台账缺8月以后记录");
  await expect(await onShelf(kuiyong, "returned", T1)).toHaveCount(1);

  await kuiyong.goto(t1);
  await hydrated(kuiyong);
  const rework = kuiyong.locator(".report-form");
  await rework.getByLabel("完成进度(%)").fill("100");
  await rework.getByLabel("工作进展").fill("补齐驿站服务台账");
  await rework.getByRole("button", { name: "报送" }).click();
  await expect(kuiyong.locator(".detail-facts")).toContainText("100%");
  // The 自查 of the last round is offered again; the second criterion's is brought up to date.
  await openSelfCheck(kuiyong);
  await expect(selfCheck.getByLabel("自查情况").nth(0)).toHaveValue("已建成3个驿站并投用");
  await selfCheck.getByLabel("自查情况").nth(1).fill("服务台账已补齐8月以后记录");
  await selfCheck.getByRole("button", { name: "提请验收" }).click();
  await expect(kuiyong.locator(".task-badges")).toContainText("待验收");
  await office.goto(t1);
  await hydrated(office);
  const again = office.locator("#acceptance-form .acceptance-criteria > li");
  await again.nth(0).getByLabel("达标", { exact: true }).check();
  await again.nth(1).getByLabel("达标", { exact: true }).check();
  await office.locator("#acceptance-form").getByRole("button", { name: "提交验收意见" }).click();
  await expect(office.locator(".task-badges")).toContainText("核验通过,待领导审定");
  await expect(office.locator("#acceptance")).toContainText("第 2 轮验收:全部达标");
  await expect(await notice(kuiyong, "验收核验通过,待领导审定", T1)).toHaveCount(1);

  // 审定销号 by the leader, found on the leader's 工作台 and in the inbox.
  await expect(await onShelf(leader, "sign_off", T1)).toHaveCount(1);
  await expect(await notice(leader, "验收待审定销号", T1)).toHaveCount(1);
  await leader.goto(t1);
  await hydrated(leader);
  await leader.locator("#sign-off").getByRole("button", { name: "审定销号" }).click();
  await expect(leader.locator(".task-detail-head .status-badge")).toHaveText("已销号");
  await expect(await notice(kuiyong, "任务已验收销号", T1)).toHaveCount(1);
  await expect(await onShelf(leader, "sign_off", T1)).toHaveCount(0);
  await expect(await onShelf(kuiyong, "returned", T1)).toHaveCount(0);

  // The history names every step, with who (the unit sees its own drafts' steps too).
  await kuiyong.goto(t1);
  const history = kuiyong.locator("#history");
  for (const step of [
    "揭榜认领",
    "确认挂牌",
    "不予挂牌:葵涌社区站点基础更好",
    "起草进度报送",
    "审核报送葵涌街道党建办 蒋琳起草的进度报告",
    "申请延期",
    "延期申请初审",
    "延期申请审定",
    "领导批示",
    "回复落实情况",
    "提请验收",
    "退回整改",
    "验收核验通过",
    "审定销号",
  ]) {
    await expect(history).toContainText(step);
  }
  for (const who of ["组织科 王芳", "葵涌街道党建办 刘强", "葵涌街道党建办 蒋琳", "林晓华"]) {
    await expect(history).toContainText(who);
  }
});
