/**
 * Splits a migration file into single statements. better-sqlite3 (behind Kysely's SQLite driver)
 * prepares one statement at a time, so a file must be cut before it runs.
 *
 * A statement ends with `;` at the end of a line. Lines inside a dollar-quoted body (`$$ ... $$`)
 * or a trigger body (a line ending in BEGIN up to a line `END;`) do not end a statement.
 * `--` comment lines are dropped.
 */
export function splitSqlStatements(text: string): string[] {
  const statements: string[] = [];
  let current: string[] = [];
  let inDollarBody = false;
  let inTriggerBody = false;

  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (!inDollarBody && !inTriggerBody && (trimmed === '' || trimmed.startsWith('--'))) continue;
    current.push(line);
    if ((trimmed.match(/\$\$/g) ?? []).length % 2 === 1) inDollarBody = !inDollarBody;
    if (!inDollarBody && /\bBEGIN$/i.test(trimmed)) inTriggerBody = true;
    const ends = !inDollarBody && trimmed.endsWith(';');
    if (ends && inTriggerBody && /^END;$/i.test(trimmed)) inTriggerBody = false;
    if (ends && !inTriggerBody) {
      statements.push(current.join('\n').trim().replace(/;$/, ''));
      current = [];
    }
  }
  const rest = current.join('\n').trim();
  if (rest) statements.push(rest);
  return statements;
}
