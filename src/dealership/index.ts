export * from './appointment-repository.js';
export * from './appointment-slots.js';
export * from './knowledge-base.js';
export * from './zoned-time.js';
