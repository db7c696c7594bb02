export * from './call.js';
export * from './call-repository.js';
export * from './call-states.js';
export * from './telephony-port.js';
export * from './call-tracker.js';
export * from './tool-call-repository.js';
export * from './transcript-repository.js';
export * from './turn-metrics-repository.js';
export * from './write-queue.js';
// call-summary.ts is imported directly: it pulls in @livekit/agents, which the API does not need.
