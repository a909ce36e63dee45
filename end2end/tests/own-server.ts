import { expect, type Browser, type Page } from "@playwright/test";
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DEMO_PASSWORD } from "./helpers";

// A test that restarts its server, or changes tasks the shared server's tests rely on, runs a
// server of its own: the same binary, on a SurrealKV directory of its own (data survives a
// restart) and a port of its own, with the demo plan as of 2022-07-29.
const bin = process.env.JIEBANG_BIN ?? "../target/debug/jiebang";

export class OwnServer {
  readonly base: string;
  readonly dir = mkdtempSync(join(tmpdir(), "jiebang-e2e-"));
  private process: ChildProcess | null = null;

  constructor(readonly port: number) {
    this.base = `http://127.0.0.1:${port}`;
  }

  async start() {
    const child = spawn(bin, ["serve", "--demo"], {
      cwd: "..",
      stdio: "ignore",
      env: {
        ...process.env,
        JIEBANG_DB: `surrealkv://${join(this.dir, "db")}`,
        JIEBANG_FILES: join(this.dir, "files"),
        JIEBANG_ADDR: `127.0.0.1:${this.port}`,
        JIEBANG_SITE_ROOT: "target/site",
        JIEBANG_LOG: "warn",
        JIEBANG_TODAY: "2022-07-29",
      },
    });
    this.process = child;
    const until = Date.now() + 60_000;
    while (Date.now() < until) {
      if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
      try {
        // A server that accepts but does not answer yet must not hold the loop up.
        if ((await fetch(`${this.base}/healthz`, { signal: AbortSignal.timeout(2_000) })).ok) return;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error("server did not start");
  }

  async stop() {
    const child = this.process;
    this.process = null;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise((r) => child.once("exit", r));
    child.kill("SIGTERM");
    // A graceful stop waits for open connections; a test's browser may still hold some.
    const late = setTimeout(() => child.kill("SIGKILL"), 10_000);
    await exited;
    clearTimeout(late);
  }

  async dispose() {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** A browser context of its own, signed in as `username`, on `path`, hydrated. */
  async signedIn(browser: Browser, username: string, path: string): Promise<Page> {
    const context = await browser.newContext({ baseURL: this.base, locale: "zh-CN" });
    const page = await context.newPage();
    await page.goto(`/login?next=${encodeURIComponent(path)}`);
    await page.getByLabel("用户名").fill(username);
    await page.getByLabel("密码").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "登录" }).click();
    await expect(page).not.toHaveURL(/\/login/);
    await expect(page.locator('.app[data-hydrated="true"]')).toHaveCount(1);
    return page;
  }
}
