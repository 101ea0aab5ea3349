import { startServer } from './server.ts';

/** `npm start`: API and web UI on HOST:PORT (default 127.0.0.1:3000); settings in api/config.ts. */
const server = await startServer().catch((error: unknown) => {
  process.stderr.write(`启动失败：${(error as Error).message}\n`);
  process.exit(1);
});

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.app.log.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 15_000);
    force.unref();
    void server.stop().then(() => process.exit(0));
  });
}
