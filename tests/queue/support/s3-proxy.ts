import { once } from 'node:events';
import { createServer, request, type Server } from 'node:http';

export interface RecordedRequest {
  method: string;
  /** Object key (decoded), without the bucket. */
  key: string;
  status: number;
}

/**
 * A pass-through HTTP proxy in front of the test S3 server that records every object request and its answer. Workers
 * in other processes talk to S3 through it, so a test can count, from outside, how often a report object was
 * written successfully ("exactly once") without instrumenting the product.
 */
export interface RecordingS3Proxy {
  port: number;
  requests(): RecordedRequest[];
  /** Successful PUTs of `key`. */
  successfulPuts(key: string): number;
  /**
   * Calls `listener` with each recorded request once the server has answered and before the client gets the answer,
   * so a test can arm a fault "right after object X was written" without racing the client's next request.
   */
  onRecorded(listener: (request: RecordedRequest) => void): void;
  stop(): Promise<void>;
}

export async function startRecordingProxy(targetPort: number, bucket: string): Promise<RecordingS3Proxy> {
  const recorded: RecordedRequest[] = [];
  const listeners: Array<(request: RecordedRequest) => void> = [];
  const server: Server = createServer((req, res) => {
    const upstream = request(
      { host: '127.0.0.1', port: targetPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        const pathname = new URL(req.url ?? '/', 'http://proxy').pathname;
        const prefix = `/${bucket}/`;
        if (pathname.startsWith(prefix)) {
          const entry = { method: req.method ?? '', key: decodeURIComponent(pathname.slice(prefix.length)), status: answer.statusCode ?? 0 };
          recorded.push(entry);
          for (const listener of listeners) listener(entry);
        }
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as { port: number }).port;
  return {
    port,
    requests: () => [...recorded],
    onRecorded: (listener) => {
      listeners.push(listener);
    },
    successfulPuts: (key) => recorded.filter((r) => r.method === 'PUT' && r.key === key && r.status >= 200 && r.status < 300).length,
    async stop() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}
