import { defineConfig } from "@playwright/test";

// The server under test: the binary `cargo leptos build` produced, on an in-memory database
// with the demo plan, on its own port so it never collides with a running dev server.
const port = Number(process.env.JIEBANG_E2E_PORT ?? 3100);
const bin = process.env.JIEBANG_BIN ?? "../target/debug/jiebang";

export default defineConfig({
  testDir: "./tests",
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 30_000,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    locale: "zh-CN",
    launchOptions: {
      // Debian's chromium: Playwright's own browser download is not available here.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    },
  },
  webServer: {
    command: `${bin} serve --demo`,
    cwd: "..",
    url: `http://127.0.0.1:${port}/healthz`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "pipe",
    stderr: "pipe",
    env: {
      JIEBANG_DB: "mem://",
      JIEBANG_ADDR: `127.0.0.1:${port}`,
      JIEBANG_SITE_ROOT: "target/site",
      JIEBANG_LOG: "warn",
      // The demo plan as of its 专题调度会, so lights are deterministic.
      JIEBANG_TODAY: "2022-07-29",
    },
  },
  projects: [
    {
      name: "js-on",
      use: { javaScriptEnabled: true },
      testMatch: /.*\.js-on\.spec\.ts/,
      testIgnore: /story\.js-on\.spec\.ts/,
    },
    { name: "js-off", use: { javaScriptEnabled: false }, testMatch: /.*\.js-off\.spec\.ts/ },
    // The whole year of a task: six people's browsers, each loading the (debug) wasm many
    // times. Run on its own once the others are done, so it has both cores to itself.
    {
      name: "story",
      use: { javaScriptEnabled: true },
      testMatch: /story\.js-on\.spec\.ts/,
      dependencies: ["js-on", "js-off"],
    },
  ],
});
