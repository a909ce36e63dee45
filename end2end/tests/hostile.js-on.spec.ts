import { expect, test, type Page } from "@playwright/test";
import { OwnServer } from "./own-server";
import { postTaskList } from "./helpers";

// Script in every kind of text people type or import is shown as text, never run: task titles
// and 验收标准 from an imported list, a unit's name, a report, a 批示 and a comment, an
// evidence file's name. Every page that shows them is opened with JavaScript on (so the
// hydrated views render them too) and no dialog may ever open.
const payloads = {
  title: "<img src=x onerror=alert(1)>",
  criterion: "<script>alert(2)</script>",
  unit: "<svg/onload=alert(3)>",
  report: "\"><img src=x onerror=alert(4)>",
  comment: "</textarea><script>alert(5)</script>",
  file: "<img src=x onerror=alert(6)>.pdf",
};

function watch(page: Page, opened: string[], failed: string[]) {
  page.on("dialog", async (dialog) => {
    opened.push(`${page.url()}: ${dialog.message()}`);
    await dialog.dismiss();
  });
  // A payload that broke hydration would show as an uncaught error or a wasm panic.
  page.on("pageerror", (error) => failed.push(`${page.url()}: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && message.text().includes("panicked")) failed.push(`${page.url()}: ${message.text()}`);
  });
}

async function visit(page: Page, path: string) {
  await page.goto(path);
  // Some thirty page loads of the debug wasm while the other worker runs its own suite: the
  // wait is for hydration to finish, not a measure of its speed.
  await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1, { timeout: 20_000 });
  // Let anything an injected element would do (an image's onerror, a late script) happen.
  await page.waitForTimeout(300);
}

test("script in titles, criteria, unit names, reports, comments and file names is shown as text and never runs", async ({
  browser,
}) => {
  test.setTimeout(180_000);
  const server = new OwnServer(3194);
  const opened: string[] = [];
  const failed: string[] = [];
  try {
    await server.start();
    const office = await server.signedIn(browser, "wangfang", "/plans");
    watch(office, opened, failed);
    const origin = { origin: server.base, accept: "application/json" };

    // A unit named with script; an imported list (2023, so its board is the current one) whose
    // task and criterion carry script.
    const unit = await office.request.post(`${server.base}/api/create_unit`, {
      headers: origin,
      form: { name: payloads.unit, kind: "street" },
    });
    expect(unit.status(), await unit.text()).toBe(200);
    const [taskPath] = await postTaskList(office, "2023", "2023年度重点任务", [
      { title: payloads.title, criteria: [payloads.criterion] },
    ]);

    // 党员教育管理科's head reports on its task 27 with a file named with script; the leader
    // writes a 批示 and the head a comment.
    const head = await server.signedIn(browser, "liming", "/work");
    watch(head, opened, failed);
    const report = await head.request.post(`${server.base}/tasks/dapeng-2022-27/reports`, {
      headers: origin,
      multipart: {
        percent: "60",
        done: payloads.report,
        problems: payloads.criterion,
        next_steps: "",
        files: { name: payloads.file, mimeType: "application/pdf", buffer: Buffer.from("%PDF-1.4\n%%EOF\n") },
      },
    });
    expect(report.status(), await report.text()).toBe(200);
    const comment = await head.request.post(`${server.base}/api/add_comment`, {
      headers: origin,
      form: { id: "dapeng-2022-27", kind: "comment", body: payloads.comment },
    });
    expect(comment.status(), await comment.text()).toBe(200);
    const leader = await server.signedIn(browser, "linxh", "/");
    watch(leader, opened, failed);
    const instruction = await leader.request.post(`${server.base}/api/add_comment`, {
      headers: origin,
      form: { id: "dapeng-2022-27", kind: "instruction", body: payloads.title },
    });
    expect(instruction.status(), await instruction.text()).toBe(200);

    // Every page that shows them, as the people who see them.
    const boards = ["", "?view=table", "?view=units", "?view=kanban", "?view=timeline", "?view=charts"];
    for (const view of boards) {
      await visit(office, `/${view}`);
    }
    await visit(office, taskPath);
    await expect(office.locator("main")).toContainText(payloads.title);
    await expect(office.locator("main")).toContainText(payloads.criterion);
    for (const path of ["/plans", "/units", "/work", "/inbox", "/scores", "/scores/points", "/meetings", "/quarter", "/duties", "/rectify", "/bulletin"]) {
      await visit(office, path);
    }
    await visit(office, "/units");
    await expect(office.locator("main")).toContainText(payloads.unit);

    for (const page of [leader, head, office]) {
      await visit(page, "/tasks/dapeng-2022-27");
      const main = page.locator("main");
      await expect(main).toContainText(payloads.report);
      await expect(main).toContainText(payloads.comment);
      await expect(main).toContainText(payloads.title);
      // A file's name loses what file systems forbid (<>:"*?| and control characters).
      await expect(main).toContainText("img src=x onerror=alert(6).pdf");
    }
    await visit(head, "/work");
    await visit(leader, "/inbox");
    await visit(leader, "/?plan=dapeng-2022&view=table");
    // Nothing injected reached the document as an element.
    await visit(office, "/tasks/dapeng-2022-27");
    expect(await office.locator("main img[src='x'], main svg[onload]").count()).toBe(0);
    expect(opened).toEqual([]);
    expect(failed).toEqual([]);
  } finally {
    await server.dispose();
  }
});
