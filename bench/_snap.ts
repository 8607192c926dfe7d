import { measure } from './fanout.js';
const t = (process.argv[2] ?? 'sse') as 'sse';
const row = await measure('shared', 400, (l) => console.error(l), t);
console.log(JSON.stringify({ heap: row.heapPerSubscriber / 1024 }));
