import { access } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { startS3Server } from '../helpers/s3-server.ts';

describe('when the test S3 server is asked for in-progress multipart uploads', () => {
  it('answers with an empty ListMultipartUploadsResult instead of NotImplemented', async () => {
    const server = await startS3Server();
    try {
      const response = await fetch(`http://${server.endpoint}:${server.port}/some-bucket?uploads`);
      const body = await response.text();
      expect(response.status).toBe(200);
      expect(body).toContain('<ListMultipartUploadsResult');
      expect(body).toContain('<Bucket>some-bucket</Bucket>');
      expect(body).toContain('<IsTruncated>false</IsTruncated>');
      expect(body).not.toContain('<Upload>');
    } finally {
      await server.stop();
    }
  });
});

describe('when the test S3 server stops', () => {
  it('removes its directory and frees the port', async () => {
    const server = await startS3Server();
    await server.stop();
    await expect(access(server.directory)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(fetch(`http://${server.endpoint}:${server.port}/`)).rejects.toThrow();
  });
});
