import { escapeHtml } from "./html-escape.ts";

export interface Bar {
  readonly label: string;
  readonly value: number;
  readonly color: string;
}

/** Horizontal bars with their values written out: readable without hovering, printable. */
export function horizontalBars(title: string, bars: readonly Bar[], width = 420): string {
  const rowHeight = 22;
  const labelWidth = 150;
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  const plot = width - labelWidth - 50;
  const height = Math.max(rowHeight, bars.length * rowHeight) + 4;
  const rows = bars
    .map((bar, i) => {
      const y = i * rowHeight + 2;
      const w = Math.round((bar.value / max) * plot);
      return `<g><title>${escapeHtml(`${bar.label}: ${bar.value}`)}</title><text x="${labelWidth - 6}" y="${y + 15}" text-anchor="end" class="axis">${escapeHtml(truncate(bar.label, 24))}</text><rect x="${labelWidth}" y="${y + 3}" width="${Math.max(w, bar.value > 0 ? 2 : 0)}" height="${rowHeight - 8}" rx="2" fill="${bar.color}"/><text x="${labelWidth + w + 6}" y="${y + 15}" class="value">${bar.value}</text></g>`;
    })
    .join("");
  return `<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}">${rows}</svg>`;
}

export interface StackedColumn {
  readonly label: string;
  readonly parts: readonly { readonly name: string; readonly value: number; readonly color: string }[];
}

/** Stacked columns, one per run, oldest left: how findings moved across runs. */
export function stackedColumns(title: string, columns: readonly StackedColumn[], width = 640, height = 220): string {
  if (columns.length === 0) return `<p class="muted">No finished runs yet.</p>`;
  const top = 10;
  const bottom = 34;
  const left = 36;
  const plotHeight = height - top - bottom;
  const max = Math.max(1, ...columns.map((column) => column.parts.reduce((sum, part) => sum + part.value, 0)));
  const step = (width - left - 10) / columns.length;
  const barWidth = Math.max(4, Math.min(40, step * 0.7));
  const grid = [0, 0.5, 1]
    .map((f) => {
      const y = top + plotHeight - f * plotHeight;
      return `<line x1="${left}" x2="${width - 6}" y1="${y}" y2="${y}" class="grid"/><text x="${left - 4}" y="${y + 4}" text-anchor="end" class="axis">${Math.round(f * max)}</text>`;
    })
    .join("");
  const bars = columns
    .map((column, i) => {
      const x = left + i * step + (step - barWidth) / 2;
      let y = top + plotHeight;
      const total = column.parts.reduce((sum, part) => sum + part.value, 0);
      const rects = column.parts
        .filter((part) => part.value > 0)
        .map((part) => {
          const h = (part.value / max) * plotHeight;
          y -= h;
          return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${part.color}"><title>${escapeHtml(`${column.label} ${part.name}: ${part.value}`)}</title></rect>`;
        })
        .join("");
      return `<g>${rects}<text x="${(x + barWidth / 2).toFixed(1)}" y="${height - bottom + 14}" text-anchor="middle" class="axis">${escapeHtml(column.label)}</text><text x="${(x + barWidth / 2).toFixed(1)}" y="${(y - 3).toFixed(1)}" text-anchor="middle" class="value">${total}</text></g>`;
    })
    .join("");
  return `<svg role="img" aria-label="${escapeHtml(title)}" viewBox="0 0 ${width} ${height}" width="100%" style="max-width:${width}px">${grid}${bars}</svg>`;
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
