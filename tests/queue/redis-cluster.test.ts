import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis, DossierQueue, startDossierWorker, type DistributedConfig, type DossierWorker, type RedisClient } from '../../pipeline/queue/index.ts';
import { createBlobStore } from '../../storage/index.ts';
import { startS3Server, type TestS3Server } from '../helpers/s3-server.ts';
import { textDossier } from './support/dossiers.ts';
import { s3StorageConfig, testConfig, uniquePrefix } from './support/environment.ts';
import { cli, startOwnCluster, type OwnCluster } from './support/own-cluster.ts';

describe('when Redis is a cluster and the queue prefix carries a hash tag', () => {
  let cluster: OwnCluster;
  let s3: TestS3Server;
  let config: DistributedConfig;
  let connection: RedisClient;
  let worker: DossierWorker;

  beforeAll(async () => {
    cluster = await startOwnCluster(3);
    s3 = await startS3Server();
    config = testConfig({ redisUrl: cluster.url, cluster: true, prefix: `{${uniquePrefix('cluster')}}`, storage: s3StorageConfig(s3, 'cluster') });
    connection = await connectRedis(config.redis);
    worker = startDossierWorker({ config });
  });

  afterAll(async () => {
    await worker?.close();
    connection?.disconnect();
    await s3?.stop();
    await cluster?.stop();
  });

  it('checks a dossier, with every queue key on one node', async () => {
    const queue = new DossierQueue({ store: createBlobStore(config.storage), connection, settings: config.queue });
    try {
      const { dossierId } = await queue.submit({ archivePath: await textDossier({ seed: 91 }), checklist: 'municipal-template', stage: 'filing' });
      const report = await queue.waitForReport(dossierId, { timeoutMs: 120_000 });
      expect(report.files).toHaveLength(3);
    } finally {
      await queue.close();
    }
    const keysPerNode = await Promise.all(cluster.ports.map(async (port) => (await cli(port, '--scan', '--pattern', `${config.queue.prefix}:*`)).split('\n').filter(Boolean).length));
    expect(keysPerNode.filter((n) => n > 0)).toHaveLength(1);
    expect(Math.max(...keysPerNode)).toBeGreaterThan(5);
  });
});
