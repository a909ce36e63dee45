import { test } from "@playwright/test";
import { runMeeting } from "./meeting-flow";

test("the office runs a 专题调度会 with JavaScript: agenda, 研判, 交办事项", async ({ page, browser }) => {
  // A whole meeting: every agenda task stepped through, then records, minutes and follow-up.
  test.setTimeout(120_000);
  await runMeeting(page, browser, "专题调度会(有脚本)", true);
});
