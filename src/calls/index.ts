export * from './call.js';
export * from './call-repository.js';
export * from './call-states.js';
export * from './telephony-port.js';
