// The file BullMQ forks for each sandboxed child. The child may start without tsx's loader (a worker launched via
// bin/dossier.mjs registers tsx in-process, and a fork inherits only command-line flags), so register it here and
// then load the TypeScript processor.
import { register } from 'tsx/esm/api';

register();
const processor = await import('./sandboxed.ts');

export default processor.default;
