// The writer thread's entry in plain JavaScript: a worker starts without the parent's TypeScript loader, so it
// registers tsx in its own thread, then loads the TypeScript writer (sqliteWriterThread.ts).
import { register } from 'tsx/esm/api';

register();
await import('./sqliteWriterThread.ts');
