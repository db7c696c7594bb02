/**
 * A table as Markdown with padded columns: readable in a terminal and pasted as it is into
 * docs/benchmarks.md. Columns whose cells all look numeric are right-aligned.
 */
export function markdownTable(
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string {
  const numeric = header.map((_, c) =>
    rows.every((row) => /^[-+]?[\d.,]+[%x]?$|^n\/a$|^-$/.test(row[c] ?? '')),
  );
  const widths = header.map((title, c) =>
    Math.max(title.length, 3, ...rows.map((row) => (row[c] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `| ${cells
      .map((cell, c) => (numeric[c] ? cell.padStart(widths[c] ?? 0) : cell.padEnd(widths[c] ?? 0)))
      .join(' | ')} |`;
  const rule = `| ${widths.map((w, c) => (numeric[c] ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w))).join(' | ')} |`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}

/** A number with thousands separators and the given decimals. */
export function formatNumber(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value.toLocaleString('en-US', {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
}
