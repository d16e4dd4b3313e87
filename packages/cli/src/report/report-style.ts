/** The report's CSS, inlined: the page must render with no network and no other file. */
export const REPORT_STYLE = `
:root { color-scheme: light; --fg: #111827; --muted: #6b7280; --line: #e5e7eb; --bg: #f9fafb; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
header { background: #0f172a; color: #f8fafc; padding: 16px 28px; }
header h1 { margin: 0 0 4px; font-size: 22px; }
header .muted { color: #cbd5e1; }
header code { color: #e2e8f0; }
nav a { color: #93c5fd; margin-right: 14px; }
main { padding: 18px 28px 40px; max-width: 1600px; }
h2 { margin: 28px 0 10px; font-size: 18px; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; }
.card { background: #fff; border: 1px solid var(--line); border-top: 4px solid #0f766e; border-radius: 6px; padding: 10px 16px; min-width: 120px; }
.card .n { font-size: 26px; font-weight: 700; }
.card .label { color: var(--muted); }
.charts { display: flex; flex-wrap: wrap; gap: 24px; margin-top: 18px; }
figure { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; margin: 0; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg .axis { font-size: 11px; fill: #374151; }
svg .value { font-size: 11px; fill: #111827; font-weight: 600; }
svg .grid { stroke: #e5e7eb; }
.filters { display: flex; flex-wrap: wrap; gap: 10px; align-items: center; margin-bottom: 8px; }
select, input { font: inherit; padding: 3px 6px; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; padding: 6px 8px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th.num, td.num { text-align: right; }
.date, time, th, .sev, td.num, .nowrap { white-space: nowrap; overflow-wrap: normal; }
h3 { margin: 18px 0 8px; font-size: 15px; }
.lead { margin: 6px 0 10px; }
.ok { color: #15803d; font-weight: 600; } .bad { color: #b91c1c; font-weight: 700; }
.meter { width: 120px; height: 10px; background: #fee2e2; border-radius: 5px; overflow: hidden; }
.meter span { display: block; height: 100%; background: #15803d; }
.groups { display: grid; grid-template-columns: minmax(0, 2fr) minmax(0, 3fr); gap: 18px; align-items: start; }
@media (max-width: 1500px) { .groups { grid-template-columns: minmax(0, 1fr); } }
.groups table { width: 100%; }
#since-last-run { margin-top: 14px; }
details summary code { margin-right: 4px; }
th { background: #f3f4f6; position: sticky; top: 0; }
tr[hidden] { display: none; }
details summary { cursor: pointer; }
pre { background: #f3f4f6; padding: 6px; white-space: pre-wrap; }
.muted { color: var(--muted); }
.small { font-size: 12px; }
.sev { color: #fff; border-radius: 4px; padding: 1px 7px; font-size: 12px; font-weight: 600; }
.sev-critical { background: #7f1d1d; } .sev-high { background: #dc2626; } .sev-medium { background: #b45309; }
.sev-low { background: #2563eb; } .sev-info { background: #6b7280; }
.state-new, .state-reopened { font-weight: 700; }
.state-resolved { color: #15803d; }
.status-partial { color: #b45309; font-weight: 600; } .status-failed { color: #b91c1c; font-weight: 700; }
`;
