import { createHash } from 'node:crypto';
import { WebhookEvent } from '@livekit/protocol';
import { AccessToken } from 'livekit-server-sdk';

/**
 * The fields of a webhook event (protobuf-es partial message). Built with @livekit/protocol's class:
 * the SDK's `WebhookEvent` subclass resets `event` to '' after its constructor runs.
 */
export type WebhookEventInit = ConstructorParameters<typeof WebhookEvent>[0];

export interface SignedWebhook {
  body: string;
  headers: Record<string, string>;
}

/**
 * Builds a webhook request the way livekit-server sends one (livekit/protocol webhook notifier):
 * the event as protobuf JSON, and a JWT from the API key and secret carrying the base64 SHA-256 of
 * that exact body, valid for 5 minutes, in `Authorization` without a "Bearer " prefix.
 */
export async function signWebhook(
  event: WebhookEventInit,
  keys: { apiKey: string; apiSecret: string },
  options: { ttl?: number | string } = {},
): Promise<SignedWebhook> {
  const body = new WebhookEvent(event).toJsonString();
  const token = new AccessToken(keys.apiKey, keys.apiSecret, { ttl: options.ttl ?? '5m' });
  token.sha256 = createHash('sha256').update(body).digest('base64');
  return {
    body,
    headers: { 'content-type': 'application/webhook+json', authorization: await token.toJwt() },
  };
}
