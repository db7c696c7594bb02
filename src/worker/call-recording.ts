import { existsSync } from 'node:fs';
import type { AgentRecordingUploader } from '../egress/index.js';
import { type CallData, errorText } from './call-data.js';

/**
 * Hands the framework recorder's file of a finished call (stereo OGG: caller left, agent right) to
 * the recording module's durable spool, from where it is uploaded. Call after the session closed
 * (the recorder has finished the file).
 */
export async function spoolCallRecording(
  uploader: Pick<AgentRecordingUploader, 'spoolRecording'>,
  data: CallData,
  outputPath: string | undefined,
): Promise<boolean> {
  if (!outputPath || !existsSync(outputPath)) {
    data.logger.warn('no call recording file to upload');
    return false;
  }
  const startedAt = data.call.startedAt;
  try {
    await uploader.spoolRecording({
      callId: data.call.id,
      sourcePath: outputPath,
      startedAt,
      durationMs: Math.max(0, data.clock().getTime() - Date.parse(startedAt)),
      callerNumber: data.call.callerNumber,
    });
    return true;
  } catch (error) {
    data.logger.error({ err: errorText(error) }, 'call recording could not be spooled');
    return false;
  }
}
