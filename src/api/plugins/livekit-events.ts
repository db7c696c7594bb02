import fp from 'fastify-plugin';
import type { WebhookEvent, WebhookEventNames } from 'livekit-server-sdk';

/** Webhook event names: the SDK's list plus the agent job events livekit-server also sends. */
export type LiveKitEventName = WebhookEventNames | 'agent_job_started' | 'agent_job_ended';

export type LiveKitEventListener = (event: WebhookEvent) => void | Promise<void>;

/**
 * Verified, de-duplicated LiveKit webhook events, by name. Listeners run one after another in the
 * order they subscribed; one failing does not stop the others, and `emit` then rejects with all
 * the failures (the route answers 5xx and releases the event so LiveKit's retry is handled).
 */
export class LiveKitEvents {
  readonly #listeners = new Map<string, LiveKitEventListener[]>();

  on(name: LiveKitEventName, listener: LiveKitEventListener): void {
    this.#listeners.set(name, [...(this.#listeners.get(name) ?? []), listener]);
  }

  off(name: LiveKitEventName, listener: LiveKitEventListener): void {
    this.#listeners.set(
      name,
      (this.#listeners.get(name) ?? []).filter((l) => l !== listener),
    );
  }

  /** Runs the listeners of `event.event`; resolves when all finished. */
  async emit(event: WebhookEvent): Promise<void> {
    const errors: unknown[] = [];
    for (const listener of this.#listeners.get(event.event) ?? []) {
      try {
        await listener(event);
      } catch (error) {
        errors.push(error);
      }
    }
    if (errors.length === 1) throw errors[0];
    if (errors.length > 1)
      throw new AggregateError(errors, `${errors.length} listeners of ${event.event} failed`);
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    livekitEvents: LiveKitEvents;
  }
}

/** Decorates `fastify.livekitEvents`; `POST /webhooks/livekit` emits on it. */
export default fp(
  async (fastify) => {
    fastify.decorate('livekitEvents', new LiveKitEvents());
  },
  { name: 'livekit-events' },
);
