// Makes the README's pictures, as a reader would see them: docs/images/report.png (the HTML report of the demo
// organization, top of the page at 1280 px) and docs/images/gate-pr-comment.png (the gate's markdown PR comment for
// test/fixtures/plans/sample-ai-plan.json, laid out as a pull-request comment). Run from the repository root:
//   node packages/cli/scripts/readme-screenshots.ts
// It needs Chromium (/usr/bin/chromium, as the report test does). The comment is turned into HTML by the few
// markdown forms toMarkdown writes (headings, bold, lists, tables, code spans, details); nothing else is expected.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type * as Playwright from "../node_modules/playwright-core/index.js";
import { escapeHtml } from "../src/report/html-escape.ts";

const root = resolve(import.meta.dirname, "../../..");
const cli = join(root, "packages/cli/bin/aigov.js");
const images = join(root, "docs/images");
const work = mkdtempSync(join(tmpdir(), "aigov-screenshots-"));

function aigov(...args: string[]): string {
  const run = spawnSync(process.execPath, [cli, ...args], {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
  });
  if (run.status !== 0 && run.status !== 1) throw new Error(`aigov ${args.join(" ")}: ${run.stderr}`);
  return run.stdout;
}

const inline = (text: string) =>
  escapeHtml(text)
    .replace(/`([^`]+)`/g, "<code>$1</code>")
    .replace(/\*\*([^*]+)\*\*/g, "<b>$1</b>")
    // GitHub draws these as emoji; the headless browser has no emoji font.
    .replace("❌", '<span style="color:#d1242f">✖</span>')
    .replace("✅", '<span style="color:#1a7f37">✔</span>');

/** The markdown toMarkdown writes, as GitHub lays it out. */
function commentHtml(markdown: string): string {
  const out: string[] = [];
  let table: string[][] = [];
  const flush = () => {
    if (table.length === 0) return;
    const [head, , ...body] = table;
    out.push(
      `<table><thead><tr>${head!.map((cell) => `<th>${inline(cell)}</th>`).join("")}</tr></thead><tbody>${body.map((row) => `<tr>${row.map((cell) => `<td>${inline(cell)}</td>`).join("")}</tr>`).join("")}</tbody></table>`,
    );
    table = [];
  };
  for (const line of markdown.split("\n")) {
    if (line.startsWith("|")) {
      table.push(
        line
          .slice(1, -1)
          .split(" | ")
          .map((cell) => cell.trim()),
      );
      continue;
    }
    flush();
    if (line.startsWith("### ")) out.push(`<h3>${inline(line.slice(4))}</h3>`);
    else if (line.startsWith("## ")) out.push(`<h2>${inline(line.slice(3))}</h2>`);
    else if (line.startsWith("- ")) out.push(`<li>${inline(line.slice(2))}</li>`);
    else if (line.startsWith("<details") || line.startsWith("</details")) out.push(line);
    else if (line.trim() !== "") out.push(`<p>${inline(line)}</p>`);
  }
  flush();
  return `<!doctype html><meta charset="utf-8"><style>
body { font: 14px/1.5 -apple-system, "Segoe UI", system-ui, sans-serif; color: #1f2328; margin: 0; background: #f6f8fa; }
.comment { max-width: 1100px; margin: 16px auto; background: #fff; border: 1px solid #d0d7de; border-radius: 6px; }
.who { background: #f6f8fa; border-bottom: 1px solid #d0d7de; padding: 8px 16px; color: #59636e; }
.body { padding: 4px 16px 12px; }
table { border-collapse: collapse; margin: 8px 0; } th, td { border: 1px solid #d0d7de; padding: 6px 10px; text-align: left; vertical-align: top; }
th { background: #f6f8fa; } code { background: #eff1f3; padding: 1px 4px; border-radius: 4px; font-size: 85%; }
h2 { border-bottom: 1px solid #d0d7de; padding-bottom: 6px; font-size: 20px; } h3 { font-size: 16px; }
li { margin-left: 20px; }
</style><div class="comment"><div class="who"><b>github-actions</b> bot commented</div><div class="body">${out.join("\n")}</div></div>`;
}

const { chromium } = createRequire(join(root, "packages/cli/package.json"))("playwright-core") as typeof Playwright;
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
try {
  mkdirSync(images, { recursive: true });
  const store = join(work, "demo.db");
  aigov("demo", "--store", store, "--progress-interval", "0");
  aigov("report", "--store", store, "-o", join(work, "report.html"));
  const page = await browser.newPage({ viewport: { width: 1280, height: 1500 } });
  await page.goto(pathToFileURL(join(work, "report.html")).href);
  await page.screenshot({ path: join(images, "report.png") });

  const markdown = aigov("gate", "test/fixtures/plans/sample-ai-plan.json", "--format", "markdown");
  writeFileSync(join(work, "comment.html"), commentHtml(markdown));
  const comment = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await comment.goto(pathToFileURL(join(work, "comment.html")).href);
  await comment.locator(".comment").screenshot({ path: join(images, "gate-pr-comment.png") });
} finally {
  await browser.close();
  rmSync(work, { recursive: true, force: true });
}
