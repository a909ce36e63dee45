import { expect, test, type Browser, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_PASSWORD } from "./helpers";

// This test restarts its server, so it runs its own: the same binary on a SurrealKV directory
// of its own (data survives the restart) and a port of its own.
const bin = process.env.JIEBANG_BIN ?? "../target/debug/jiebang";
// Each test has a port of its own (they run in parallel).
const ports = { restart: 3190, typing: 3191 };
let port = ports.restart;
let base = `http://127.0.0.1:${port}`;

function use(which: keyof typeof ports) {
  port = ports[which];
  base = `http://127.0.0.1:${port}`;
}

function start(dir: string): ChildProcess {
  return spawn(bin, ["serve", "--demo"], {
    cwd: "..",
    stdio: "ignore",
    env: {
      ...process.env,
      JIEBANG_DB: `surrealkv://${join(dir, "db")}`,
      JIEBANG_FILES: join(dir, "files"),
      JIEBANG_ADDR: `127.0.0.1:${port}`,
      JIEBANG_SITE_ROOT: "target/site",
      JIEBANG_LOG: "warn",
      JIEBANG_TODAY: "2022-07-29",
    },
  });
}

async function healthy(server: ChildProcess, timeout = 60_000) {
  const until = Date.now() + timeout;
  while (Date.now() < until) {
    if (server.exitCode !== null) throw new Error(`server exited with ${server.exitCode}`);
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error("server did not start");
}

async function stop(server: ChildProcess) {
  if (server.exitCode !== null) return;
  const exited = new Promise((r) => server.once("exit", r));
  server.kill("SIGTERM");
  await exited;
}

async function signedIn(browser: Browser, username: string, path: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: base, locale: "zh-CN" });
  const page = await context.newPage();
  await page.goto(`/login?next=${encodeURIComponent(path)}`);
  await page.getByLabel("用户名").fill(username);
  await page.getByLabel("密码").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).not.toHaveURL(/\/login/);
  await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1);
  return page;
}

/** 党员教育管理科's head reports on its task 27 (no other test touches it). */
async function report(page: Page, percent: string, text: string) {
  const answer = await page.request.post(`${base}/tasks/dapeng-2022-27/reports`, {
    headers: { origin: base, accept: "application/json" },
    multipart: { percent, done: text, problems: "", next_steps: "", milestones: "" },
  });
  expect(answer.status(), await answer.text()).toBe(200);
}

test("a report filed in one browser shows on another's board and task page within 2 s, also after a server restart", async ({ browser }) => {
  test.setTimeout(120_000);
  use("restart");
  const dir = mkdtempSync(join(tmpdir(), "jiebang-live-"));
  let server = start(dir);
  try {
    await healthy(server);
    const board = await signedIn(browser, "linxh", "/");
    const card = board.locator('.task-card[data-number="27"]');
    await expect(card).toContainText("55%");
    const task = await board.context().newPage();
    await task.goto("/tasks/dapeng-2022-27");
    await expect(task.locator('.app[data-hydrated="true"]')).toHaveCount(1);
    await expect(task.locator(".detail-facts")).toContainText("55%");
    const head = await signedIn(browser, "liming", "/work");

    await report(head, "65", "完成第三季度发展对象集中培训");
    await expect(card).toContainText("65%", { timeout: 2_000 });
    await expect(task.locator(".reports .report").first()).toContainText("完成第三季度发展对象集中培训", { timeout: 2_000 });
    await expect(task.locator(".detail-facts")).toContainText("65%");

    // The server goes away and comes back on the same data: the pages reconnect by themselves
    // and still follow.
    await stop(server);
    server = start(dir);
    await healthy(server);
    await head.waitForTimeout(3_000); // the pages' retry interval is 2 s
    await report(head, "72", "发展对象政治审查全部完成");
    await expect(card).toContainText("72%", { timeout: 5_000 });
    await expect(task.locator(".reports .report").first()).toContainText("发展对象政治审查全部完成", { timeout: 5_000 });
  } finally {
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a reader typing a comment is not interrupted: the task page offers the change instead", async ({ browser }) => {
  test.setTimeout(120_000);
  use("typing");
  const dir = mkdtempSync(join(tmpdir(), "jiebang-live-"));
  const server = start(dir);
  try {
    await healthy(server);
    const leader = await signedIn(browser, "linxh", "/tasks/dapeng-2022-27");
    const head = await signedIn(browser, "liming", "/work");
    const box = leader.locator("textarea").first();
    await box.fill("请抓紧推进");
    await report(head, "66", "完成发展对象考察");
    const bar = leader.locator(".live-pending");
    await expect(bar).toBeVisible({ timeout: 2_000 });
    await expect(box).toHaveValue("请抓紧推进");
    await bar.getByRole("button", { name: "刷新查看" }).click();
    await expect(leader.locator(".reports .report").first()).toContainText("完成发展对象考察");
    await expect(bar).toHaveCount(0);
  } finally {
    await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
});
