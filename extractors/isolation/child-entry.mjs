// The file the extraction parent forks. The child starts without tsx's loader (the parent may be tsx's CLI, vitest or
// a BullMQ sandbox, and the fork gets only the flags we give it), so register it here, then load the TypeScript child.
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { register } from 'tsx/esm/api';

// pdf.js (3 MB of JavaScript) loaded through tsx's loader keeps each reader ~360 MB larger (547 MB instead of 181 MB
// after reading one PDF, measured): the loader rewrites it and keeps its source and source maps. Loaded first, by
// Node itself, it is in the module cache when the TypeScript extractors import it. Its worker module is handed over
// as pdf.js's documented `globalThis.pdfjsWorker`, or pdf.js would import it later, through the loader.
const require = createRequire(import.meta.url);
const pdfjsRoot = path.dirname(createRequire(require.resolve('pdf-parse')).resolve('pdfjs-dist/package.json'));
globalThis.pdfjsWorker = await import(pathToFileURL(path.join(pdfjsRoot, 'legacy', 'build', 'pdf.worker.mjs')).href);
await import('pdf-parse');

register();
const { serveExtraction } = await import('./child.ts');
const { extractDocument } = await import('../registry.ts');
serveExtraction(extractDocument);
