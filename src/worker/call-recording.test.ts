import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCall } from '../../test/helpers/agent-harness.js';
import { tempDir } from '../../test/helpers/app.js';
import { createTestDatabase } from '../../test/helpers/databases.js';
import type { DatabaseHandle } from '../db/index.js';
import { AgentRecordingUploader, findRecordingForCall } from '../egress/index.js';
import { spoolCallRecording } from './call-recording.js';

describe('call recording hand-off', () => {
  let database: DatabaseHandle;
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(() => database.destroy());

  it('spools the recorder file of a finished call as a pending agent recording', async () => {
    const call = await startTestCall({ database, responses: [] });
    await call.session.close();
    await call.ended;
    const file = path.join(tempDir(), 'audio.ogg');
    writeFileSync(file, Buffer.from('OggS fake audio'));
    const uploader = new AgentRecordingUploader({
      db: database.db,
      spoolDir: tempDir(),
      recordingMode: 'agent',
    });
    expect(await spoolCallRecording(uploader, call.data, file)).toBe(true);
    expect(await findRecordingForCall(database.db, call.data.call.id, 'agent')).toMatchObject({
      mode: 'agent',
      status: 'pending',
    });
    // No file (the recorder never ran, e.g. a text session): logged, nothing spooled.
    expect(await spoolCallRecording(uploader, call.data, undefined)).toBe(false);
  });
});
