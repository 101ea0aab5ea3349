import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { eventually, freePort } from './environment.ts';

const run = promisify(execFile);

/** A private three-master Redis Cluster on loopback (no replicas, no persistence), for the hash-tag prefix test. */
export interface OwnCluster {
  /** Seed node addresses, comma-separated, as REDIS_URL takes them with REDIS_CLUSTER=true. */
  url: string;
  ports: number[];
  stop(): Promise<void>;
}

export async function startOwnCluster(masters = 3): Promise<OwnCluster> {
  const dir = await mkdtemp(path.join(tmpdir(), 'own-cluster-'));
  const nodes: Array<{ port: number; server: ChildProcess }> = [];
  const stop = async () => {
    await Promise.all(
      nodes.map(async ({ server }) => {
        if (server.exitCode !== null || server.signalCode !== null) return;
        const exited = once(server, 'exit');
        server.kill('SIGKILL');
        await exited;
      }),
    );
    await rm(dir, { recursive: true, force: true });
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = await freePort();
      // The cluster bus port is normally port + 10000, which may not exist for a high ephemeral port.
      const busPort = await freePort();
      const nodeDir = path.join(dir, String(port));
      await run('mkdir', ['-p', nodeDir]);
      const server = spawn(
        'redis-server',
        ['--port', String(port), '--cluster-port', String(busPort), '--bind', '127.0.0.1', '--cluster-enabled', 'yes',
          '--cluster-config-file', 'nodes.conf', '--cluster-node-timeout', '5000', '--dir', nodeDir, '--save', '',
          '--appendonly', 'no', '--maxmemory-policy', 'noeviction', '--logfile', path.join(nodeDir, 'redis.log')],
        { stdio: 'ignore' },
      );
      nodes.push({ port, server });
    }
    for (const { port } of nodes) {
      await eventually(async () => ((await cli(port, 'ping')) === 'PONG' ? true : undefined), `cluster node ${port}`, 30_000, 50);
    }
    await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '0', '--cluster-yes']);
    for (const { port } of nodes) {
      await eventually(async () => ((await cli(port, 'cluster', 'info')).includes('cluster_state:ok') ? true : undefined), `cluster state ok on ${port}`, 60_000, 100);
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: nodes.map((n) => `redis://127.0.0.1:${n.port}`).join(','), ports: nodes.map((n) => n.port), stop };
}

/** Runs redis-cli against one node and returns its trimmed output ('' when it fails). */
export async function cli(port: number, ...args: string[]): Promise<string> {
  try {
    const { stdout } = await run('redis-cli', ['-p', String(port), ...args]);
    return stdout.trim();
  } catch {
    return '';
  }
}
