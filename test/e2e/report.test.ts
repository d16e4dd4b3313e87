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
  findings: {
    severity: string;
    ruleId: string;
    title: string;
    subject: { id: string; account: string };
    lifecycle: { state: string };
  }[];
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
      viewport: { width: 1280, height: 1000 },
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

      // It leads with what a security lead asks: where AI runs, who owns it, which models, then findings.
      const sections = await page
        .locator("main > section, main > p")
        .evaluateAll((nodes) => nodes.map((node) => node.id));
      expect(sections.filter((id) => id !== "").slice(0, 3)).toEqual(["since-last-run", "governance", "findings"]);
      const ungoverned = new Set(active.filter((f) => f.ruleId === "ai-resource-ungoverned").map((f) => f.subject.id))
        .size;
      expect(ungoverned).toBeGreaterThan(0);
      expect(await number("n-ungoverned")).toBe(ungoverned);
      const ungovernedCells = await page
        .locator("#governance-table tbody tr:not(.unswept) td:nth-child(5)")
        .allTextContents();
      expect(ungovernedCells.reduce((sum, cell) => sum + Number(cell), 0)).toBe(ungoverned);
      // The account whose role could not be assumed is listed as not swept, not left out.
      expect(await page.locator('#governance-table tr.unswept[data-account="100000000005"]').textContent()).toContain(
        "AssumeRoleFailed",
      );
      expect(await page.locator('#models-table tr[data-approved="false"]').count()).toBe(
        await number("n-models-unapproved"),
      );
      expect(await number("n-models-unapproved")).toBeGreaterThan(0);
      // Rules with their titles, grouped; every active finding counted once.
      const byRule = await page.locator("#rules-table tbody tr td:nth-child(3)").allTextContents();
      expect(byRule.reduce((sum, cell) => sum + Number(cell), 0)).toBe(active.length);
      const llmjacking = active.find((f) => f.ruleId === "aws-log-llmjacking")!;
      expect(await page.locator("#rules-table").textContent()).toContain(llmjacking.title);
      expect(await page.locator("#findings-table tbody tr").first().locator("summary").textContent()).toMatch(
        /^\S+ \S/,
      );
      // Evidence reads as facts, not JSON.
      const evidence = await page.locator("#findings-table li").allTextContents();
      expect(evidence.length).toBeGreaterThan(0);
      for (const fact of evidence) expect(fact).not.toMatch(/[{[]"/);
      // Dates on one line, and no horizontal scrolling at 1280 and 1920 px.
      for (const width of [1280, 1920]) {
        await page.setViewportSize({ width, height: 1000 });
        const { scrollWidth, clientWidth } = await page.evaluate<{ scrollWidth: number; clientWidth: number }>(
          "({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth })",
        );
        expect(scrollWidth, `${width} px`).toBeLessThanOrEqual(clientWidth);
        const wrapped = await page
          .locator("time:visible")
          .evaluateAll((times) => times.filter((time) => time.getClientRects().length > 1).length);
        expect(wrapped, `${width} px`).toBe(0);
      }
      await page.setViewportSize({ width: 1280, height: 1000 });

      const screenshot = join(process.env.AIGOV_ARTIFACTS ?? dir, "report.png");
      await page.screenshot({ path: screenshot, fullPage: true });
      expect(readFileSync(screenshot).subarray(1, 4).toString()).toBe("PNG");
      expect(statSync(screenshot).size).toBeGreaterThan(20_000);

      expect(errors).toEqual([]);
      expect(requests.filter((url) => !url.startsWith("file:"))).toEqual([]);
    } finally {
      await browser.close();
    }
    // Two demo sweeps and a browser: a minute on a busy two-core machine.
  }, 180_000);
});
