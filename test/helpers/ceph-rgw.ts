import { execFile, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../src/config/index.js';
import { tempDir } from './app.js';

const run = promisify(execFile);

/**
 * Where start-ceph-rgw.sh / stop-ceph-rgw.sh live: CEPH_RGW_RECIPES_DIR, else the shared recipes
 * beside the checkout (../shared/recipes), else the workplace's /work/shared/recipes.
 */
const RECIPES_DIR =
  process.env.CEPH_RGW_RECIPES_DIR ??
  [path.resolve(PROJECT_ROOT, '../shared/recipes'), '/work/shared/recipes'].find((dir) =>
    existsSync(path.join(dir, 'start-ceph-rgw.sh')),
  ) ??
  '/work/shared/recipes';

/**
 * The recipe's OSD dies on Ceph 16.2.15 ("mon_cmd_maybe_osd_create fail: 'wrong fsid'") when it
 * updates its CRUSH location at start; the recipe adds the OSD to the CRUSH map itself, so skip that.
 */
const CEPH_ARGS = '--osd_crush_update_on_start=false --osd_class_update_on_start=false';

export interface CephRgw {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  stop(): Promise<void>;
}

/** Whether a real radosgw can be started here, and if not, why. */
export function cephAvailability(): { ok: true } | { ok: false; reason: string } {
  for (const binary of ['radosgw', 'ceph-mon', 'ceph-osd', 'radosgw-admin']) {
    if (spawnSync('which', [binary]).status !== 0) {
      return {
        ok: false,
        reason: `${binary} is not installed (apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd)`,
      };
    }
  }
  if (!existsSync(path.join(RECIPES_DIR, 'start-ceph-rgw.sh'))) {
    return {
      ok: false,
      reason: `no start-ceph-rgw.sh in ${RECIPES_DIR} (set CEPH_RGW_RECIPES_DIR)`,
    };
  }
  return { ok: true };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** Starts a throwaway one-node Ceph with radosgw on free ports (about 15 s); `stop()` removes it. */
export async function startCephRgw(): Promise<CephRgw> {
  const parent = tempDir('ceph-');
  const cephDir = path.join(parent, 'cluster');
  const env = {
    ...process.env,
    CEPH_DIR: cephDir,
    RGW_PORT: String(await freePort()),
    MON_PORT: String(await freePort()),
    CEPH_ARGS,
  };
  const stop = async () => {
    await run('bash', [path.join(RECIPES_DIR, 'stop-ceph-rgw.sh')], { env, timeout: 30_000 }).catch(
      () => undefined,
    );
    await rm(parent, { recursive: true, force: true });
  };
  try {
    const { stdout } = await run('bash', [path.join(RECIPES_DIR, 'start-ceph-rgw.sh')], {
      env,
      timeout: 90_000,
    });
    // "RGW up on http://127.0.0.1:<port> (access <key> / secret <secret>)"
    const match = /RGW up on (\S+) \(access (\S+) \/ secret (\S+)\)/.exec(stdout);
    if (!match?.[1] || !match[2] || !match[3])
      throw new Error(`unexpected recipe output: ${stdout}`);
    return { endpoint: match[1], accessKey: match[2], secretKey: match[3], stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
