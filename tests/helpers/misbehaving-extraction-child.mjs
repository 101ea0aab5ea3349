// A reader child whose extractor misbehaves on purpose, chosen by the file's name (see misbehaving-extractor.ts).
import { register } from 'tsx/esm/api';

register();
const { serveExtraction } = await import('../../extractors/isolation/child.ts');
const { misbehavingExtractor } = await import('./misbehaving-extractor.ts');
serveExtraction(misbehavingExtractor);
