// The worker thread that runs 7-Zip for intake (see seven-zip.ts). It starts without tsx's loader (the parent may be
// tsx's CLI, vitest or a BullMQ sandbox), so register it here, then load the TypeScript engine.
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { extractArchive, listArchive } = await import('./seven-zip-engine.ts');

parentPort.on('message', async ({ id, request }) => {
  const onProgress = () => parentPort.postMessage({ id, progress: true });
  try {
    const result = request.kind === 'list' ? await listArchive(request, onProgress) : await extractArchive(request, onProgress);
    parentPort.postMessage({ id, ok: true, result });
  } catch (error) {
    parentPort.postMessage({ id, ok: false, error: String(error?.stack ?? error) });
  }
});
parentPort.postMessage({ ready: true });
