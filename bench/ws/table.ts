// One table: a row per figure, a column per server, and our ratio to the best peer.

export interface Metric {
  key: string;
  label: string;
  unit: string;
  better: "lower" | "higher";
  digits?: number;
}

/** `ours` is compared with every `peer`; a `variant` (ours configured otherwise) is only shown. */
export type Column = {
  name: string;
  role: "ours" | "peer" | "variant";
  figures: Record<string, number | null | undefined>;
};

function fmt(v: number | null | undefined, digits: number): string {
  if (v === null || v === undefined || Number.isNaN(v)) return "–";
  return v.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/**
 * Our ratio to the best peer, written so that "< 1×" is always "we are better" for lower-is-better
 * figures and "> 1×" for higher-is-better ones; the arrow says which way wins.
 */
function ratio(
  metric: Metric,
  ours: number | null | undefined,
  peers: (number | null | undefined)[],
): string {
  const valid = peers.filter((p): p is number => typeof p === "number" && !Number.isNaN(p));
  if (ours === null || ours === undefined || valid.length === 0) return "–";
  const best = metric.better === "lower" ? Math.min(...valid) : Math.max(...valid);
  if (best === 0) return "–";
  const r = ours / best;
  const ahead = metric.better === "lower" ? r <= 1 : r >= 1;
  return `${r.toFixed(2)}× ${metric.better === "lower" ? "↓" : "↑"}${ahead ? "" : " (behind)"}`;
}

export function renderTable(metrics: Metric[], columns: Column[]): string {
  const ours = columns.find((c) => c.role === "ours");
  const peers = columns.filter((c) => c.role === "peer");
  const compare = ours && peers.length > 0;
  const header = ["figure", ...columns.map((c) => c.name), ...(compare ? ["ours ÷ best peer"] : [])];
  const rows = metrics.map((m) => [
    `${m.label} (${m.unit})`,
    ...columns.map((c) => fmt(c.figures[m.key], m.digits ?? 1)),
    ...(compare
      ? [
          ratio(
            m,
            ours?.figures[m.key],
            peers.map((p) => p.figures[m.key]),
          ),
        ]
      : []),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] as string).length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i] as number) : c.padStart(widths[i] as number))).join(" | ")} |`;
  return [
    line(header),
    `|${widths.map((w, i) => (i === 0 ? `${"-".repeat(w + 1)} ` : ` ${"-".repeat(w)}:`)).join("|")}|`,
    ...rows.map(line),
  ].join("\n");
}
