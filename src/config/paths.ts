import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

// Source runs from src/ (tsx) and compiled code from dist/src/; both resolve to the project root.
const depth = import.meta.url.includes('/dist/src/') ? '../../../' : '../../';

/** Absolute path of the project root (where package.json, sql/ and config/ live). */
export const PROJECT_ROOT = fileURLToPath(new URL(depth, import.meta.url));

/** The product version from package.json. */
export const VERSION: string = (
  JSON.parse(readFileSync(`${PROJECT_ROOT}package.json`, 'utf8')) as { version: string }
).version;
