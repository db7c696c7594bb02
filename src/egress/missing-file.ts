/** Whether a file system error says the path does not exist. */
export function isMissingFile(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}

/** What `work` resolves to, or `fallback` when the path it touches does not exist. */
export async function unlessMissing<T, F>(work: Promise<T>, fallback: F): Promise<T | F> {
  try {
    return await work;
  } catch (error) {
    if (isMissingFile(error)) return fallback;
    throw error;
  }
}
