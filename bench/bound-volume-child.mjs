// The 200-page bench's checking process (bench/bound-volume.ts runs it once per measured run), started as
// bin/dossier.mjs starts the CLI: tsx registered here, in the main thread, so the OCR pool's worker threads do not each
// load tsx's loader as they would with `node --import tsx`.
import { register } from 'tsx/esm/api';

register();
const { child } = await import('./bound-volume.ts');
const [mode, file, out] = process.argv.slice(2);
await child(mode, file, out);
