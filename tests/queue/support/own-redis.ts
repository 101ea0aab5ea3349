import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { eventually, freePort } from './environment.ts';

/**
 * A private redis-server on a spare loopback port, for tests that take Redis away. (The shared Redis on 6379 is
 * never stopped.) It persists with AOF and fsync on every write, as docs/scaling-out.md recommends, so a crash loses
 * nothing Redis has acknowledged and a restart on the same folder brings every job back.
 */
export interface OwnRedis {
  url: string;
  port: number;
  /** SIGKILL: the outage. */
  kill(): Promise<void>;
  /** Starts again on the same port and data folder; resolves once it answers PING. */
  restart(): Promise<void>;
  usedMemoryBytes(): Promise<number>;
  stop(): Promise<void>;
}

export async function startOwnRedis(options: { persistence?: boolean } = {}): Promise<OwnRedis> {
  const port = await freePort();
  const dir = await mkdtemp(path.join(tmpdir(), 'own-redis-'));
  const persistence = options.persistence ?? true;
  const args = [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--dir', dir,
    '--save', '',
    '--appendonly', persistence ? 'yes' : 'no',
    '--appendfsync', 'always',
    '--maxmemory-policy', 'noeviction',
    '--logfile', path.join(dir, 'redis.log'),
  ];
  const url = `redis://127.0.0.1:${port}`;
  let server: ChildProcess | undefined;

  const start = async () => {
    server = spawn('redis-server', args, { stdio: 'ignore' });
    const failed = once(server, 'exit').then(([code]) => {
      throw new Error(`redis-server exited with code ${String(code)} (log: ${path.join(dir, 'redis.log')})`);
    });
    failed.catch(() => undefined);
    await Promise.race([eventually(() => ping(url), `redis-server on port ${port} to answer`, 30_000, 50), failed]);
  };
  const kill = async () => {
    const running = server;
    server = undefined;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = once(running, 'exit');
    running.kill('SIGKILL');
    await exited;
  };

  await start();
  return {
    url,
    port,
    kill,
    restart: start,
    async usedMemoryBytes() {
      const client = new Redis(url, { maxRetriesPerRequest: 1 });
      try {
        const info = await client.info('memory');
        return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? Number.NaN);
      } finally {
        client.disconnect();
      }
    },
    async stop() {
      await kill();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

async function ping(url: string): Promise<true | undefined> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, enableOfflineQueue: false });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.ping()) === 'PONG' ? true : undefined;
  } catch {
    return undefined;
  } finally {
    client.disconnect();
  }
}
