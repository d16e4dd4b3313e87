import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type * as Playwright from "../../packages/cli/node_modules/playwright-core/index.js";
import { REPO_ROOT, runCli } from "./run-cli.ts";

// playwright-core is a devDependency of @aigov/cli; Debian's chromium is the browser (.ci/run installs it).
// A missing browser fails this test: the report is only known to work once a real browser has opened it.
const { chromium } = createRequire(join(REPO_ROOT, "packages/cli/package.json"))(
  "playwright-core",
) as typeof Playwright;
const CHROMIUM = "/usr/bin/chromium";

const dir = mkdtempSync(join(tmpdir(), "aigov-report-e2e-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Listed {
  findings: { severity: string; lifecycle: { state: string } }[];
}

describe("aigov report in headless Chromium", () => {
  it("opens offline without console errors, and its numbers match the store's JSON", async () => {
    const store = join(dir, "aigov.db");
    expect((await runCli(["demo", "--store", store, "--progress-interval", "0", "--strict"])).code).toBe(1);
    expect((await runCli(["demo", "--store", store, "--progress-interval", "0", "--strict"])).code).toBe(1);
    const html = join(dir, "report.html");
    const report = await runCli(["report", "--store", store, "--output", html]);
    expect(report.code, report.stderr).toBe(0);
    const source = readFileSync(html, "utf8");
    expect(source).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i); // everything inline
    expect(source).not.toContain("DEMOnotArealKeyDEMO0001T3BlbkFJ"); // keys only redacted
    expect(source).toContain("sk-proj-…0001");

    const active = (JSON.parse((await runCli(["findings", "--store", store, "--format", "json"])).stdout) as Listed)
      .findings;
    const all = (
      JSON.parse(
        (
          await runCli([
            "findings",
            "--store",
            store,
            "--status",
            "new,open,reopened,waived,resolved",
            "--format",
            "json",
          ])
        ).stdout,
      ) as Listed
    ).findings;
    const assets = (
      JSON.parse((await runCli(["inventory", "--store", store, "--format", "json"])).stdout) as {
        assets: { subject: string }[];
      }
    ).assets;

    // A fresh profile directory per run (playwright passes it as --user-data-dir).
    const browser = await chromium.launchPersistentContext(join(dir, "chromium-profile"), {
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
      viewport: { width: 1300, height: 1000 },
    });
    try {
      const page = await browser.newPage();
      const errors: string[] = [];
      const requests: string[] = [];
      page.on("console", (message) => {
        if (message.type() === "error") errors.push(message.text());
      });
      page.on("pageerror", (error) => errors.push(String(error)));
      page.on("request", (request) => requests.push(request.url()));
      await page.goto(pathToFileURL(html).href, { waitUntil: "load" });

      const number = async (id: string) => Number(await page.textContent(`#${id}`));
      expect(await number("n-findings-active")).toBe(active.length);
      expect(await number("n-severity-critical")).toBe(active.filter((f) => f.severity === "critical").length);
      expect(await number("n-severity-high")).toBe(active.filter((f) => f.severity === "high").length);
      expect(await number("n-findings-resolved")).toBe(all.length - active.length);
      expect(await number("n-assets")).toBe(assets.filter((a) => a.subject === "asset").length);
      expect(await number("n-keys")).toBe(assets.filter((a) => a.subject === "key").length);
      expect(await page.locator("#findings-table tbody tr:visible").count()).toBe(active.length);
      expect(await page.locator("#inventory-table tbody tr").count()).toBe(assets.length);
      expect(await page.locator("#runs-table tbody tr").count()).toBe(2);
      expect(await page.locator("#trends svg rect").count()).toBeGreaterThan(0);

      // The filters work in the page: critical only, then a search.
      await page.selectOption('#findings [data-filter="severity"]', "critical");
      const critical = active.filter((f) => f.severity === "critical").length;
      expect(await number("findings-shown")).toBe(critical);
      expect(await page.locator("#findings-table tbody tr:visible").count()).toBe(critical);
      await page.selectOption('#findings [data-filter="severity"]', "");
      await page.fill('#findings [data-filter="text"]', "llm-exploration");
      const shown = await number("findings-shown");
      expect(shown).toBeGreaterThan(0);
      expect(shown).toBeLessThan(active.length);
      await page.fill('#findings [data-filter="text"]', "");

      const screenshot = join(process.env.AIGOV_ARTIFACTS ?? dir, "report.png");
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe("PNG");
      expect(statSync(screenshot).size).toBeGreaterThan(20_000);

      expect(errors).toEqual([]);
      expect(requests.filter((url) => !url.startsWith("file:"))).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
