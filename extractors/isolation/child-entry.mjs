// The file the extraction parent forks. The child starts without tsx's loader (the parent may be tsx's CLI, vitest or
// a BullMQ sandbox, and the fork gets only the flags we give it), so register it here, then load the TypeScript child.
// pdf.js is loaded first, without the loader (see preload-pdfjs.mjs: ~360 MB less per reader).
import '../pdf/preload-pdfjs.mjs';
import { register } from 'tsx/esm/api';

register();
const { serveExtraction } = await import('./child.ts');
const { extractDocument } = await import('../registry.ts');
serveExtraction(extractDocument);
