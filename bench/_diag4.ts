import { WriteQueue } from '../src/calls/write-queue.js';
if (process.argv.includes('--nowrites')) WriteQueue.prototype.enqueue = function () { return true; };
await import('./turn.js');
