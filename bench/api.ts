import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { cpus, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { sharedPath } from '../tests/helpers/shared-data.ts';
import { runListBench } from './api-list.ts';

/**
 * API benchmark (figures, not a test):
 *  1. status endpoint throughput: autocannon against GET /api/v1/dossiers/:id with a bearer token (auth, record
 *     lookup and JSON answer included), after the dossier has been checked;
 *  2. a 200 MB upload streamed to the embedded server, sampling the server's RSS from /proc while it arrives;
 *  3. the dossier list over 10,000 records in SQLite and PostgreSQL (bench/api-list.ts).
 *
 * The server runs as a child process (`npm start`'s entry) with a fresh DATA_DIR, rate limits off and LOG_LEVEL=warn
 * (request logging at info costs throughput; the figure with it is printed too). Writes bench/results/api.json.
 *
 *   npm run bench:api                 # defaults
 *   BENCH_UPLOAD_MB=200 BENCH_SECONDS=10 BENCH_CONNECTIONS=50 npm run bench:api
 */

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const SAMPLE = process.env.BENCH_SAMPLE ?? sharedPath('samples', 'dossiers', 'sample-05-mt-filing', 'dossier.zip');
const UPLOAD_MB = Number(process.env.BENCH_UPLOAD_MB ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

interface Server {
  child: ChildProcess;
  base: string;
  token: string;
  stop: () => Promise<void>;
}

async function startServer(dataDir: string, logLevel: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'api', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, DATA_DIR: dataDir, PORT: String(port), HOST: '127.0.0.1', RATE_LIMIT_MAX: '0', RATE_LIMIT_UPLOADS: '0', LOG_LEVEL: logLevel, MAX_UPLOAD_MB: String(UPLOAD_MB + 50), REDIS_URL: '' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (c) => (stderr += c));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600; i++) {
    const token = /dkt_[0-9a-f]{16}_[A-Za-z0-9_-]{43}/.exec(stderr)?.[0];
    if (token && (await fetch(`${base}/health`).then((r) => r.ok).catch(() => false))) {
      return {
        child,
        base,
        token,
        stop: async () => {
          child.kill('SIGTERM');
          await new Promise((r) => child.once('exit', r));
        },
      };
    }
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    await sleep(100);
  }
  throw new Error(`server did not start: ${stderr}`);
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024;
}

async function uploadSample(server: Server): Promise<string> {
  const form = new FormData();
  form.append('city', 'municipal-template');
  form.append('stage', 'filing');
  form.append('file', new Blob([await readFile(SAMPLE)]), 'dossier.zip');
  const created = (await (await fetch(`${server.base}/api/v1/dossiers`, { method: 'POST', headers: { authorization: `Bearer ${server.token}` }, body: form })).json()) as { id: string };
  for (;;) {
    const status = (await (await fetch(`${server.base}/api/v1/dossiers/${created.id}`, { headers: { authorization: `Bearer ${server.token}` } })).json()) as { status: string };
    if (status.status === 'done') return created.id;
    if (status.status === 'failed') throw new Error('sample dossier failed');
    await sleep(300);
  }
}

async function statusThroughput(server: Server, id: string) {
  const result = await autocannon({
    url: `${server.base}/api/v1/dossiers/${id}`,
    headers: { authorization: `Bearer ${server.token}` },
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  return {
    requestsPerSecond: Math.round(result.requests.average),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, max: result.latency.max },
    non2xx: result.non2xx,
    errors: result.errors,
    total: result.requests.total,
  };
}

/** Streams `mb` MiB of incompressible bytes as one multipart file; samples the server's RSS while it arrives. */
async function bigUpload(server: Server, mb: number) {
  const pid = server.child.pid!;
  const boundary = `----bench${randomBytes(8).toString('hex')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="city"\r\n\r\nmunicipal-template\r\n--${boundary}\r\nContent-Disposition: form-data; name="stage"\r\n\r\nfiling\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\nContent-Type: application/octet-stream\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  const chunk = randomBytes(1024 * 1024);
  const length = head.length + mb * chunk.length + tail.length;

  await sleep(2000); // let the server settle after the throughput run
  const baseline = rssMb(pid);
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssMb(pid));
  }, 20);
  const started = performance.now();
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${server.base}/api/v1/dossiers`, { method: 'POST', headers: { authorization: `Bearer ${server.token}`, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': length } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    (async () => {
      req.write(head);
      for (let i = 0; i < mb; i++) {
        if (!req.write(chunk)) await new Promise((r) => req.once('drain', r));
      }
      req.end(tail);
    })().catch(reject);
  });
  const seconds = (performance.now() - started) / 1000;
  clearInterval(sampler);
  peak = Math.max(peak, rssMb(pid));
  if (answer.status !== 202) throw new Error(`upload failed: ${answer.status} ${answer.body}`);
  return { megabytes: mb, status: answer.status, seconds: +seconds.toFixed(2), mbPerSecond: +(mb / seconds).toFixed(1), rssBaselineMb: +baseline.toFixed(1), rssPeakMb: +peak.toFixed(1), rssGrowthMb: +(peak - baseline).toFixed(1) };
}

async function main(): Promise<void> {
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-api-'));
  const results: Record<string, unknown> = {
    date: new Date().toISOString(),
    machine: { cpus: cpus().length, model: cpus()[0]?.model, node: process.version },
    settings: { connections: CONNECTIONS, seconds: SECONDS, uploadMb: UPLOAD_MB },
  };
  results.list = await runListBench();
  try {
    let server = await startServer(dataDir, 'warn');
    try {
      const id = await uploadSample(server);
      results.status = await statusThroughput(server, id);
      console.log(`状态接口（LOG_LEVEL=warn）：${JSON.stringify(results.status)}`);
      results.upload = await bigUpload(server, UPLOAD_MB);
      console.log(`${UPLOAD_MB} MB 上传：${JSON.stringify(results.upload)}`);
    } finally {
      await server.stop();
    }
    // Same data folder: the sample dossier is there; the first token was printed only on the first start.
    const other = await mkdtemp(join(tmpdir(), 'bench-api-info-'));
    server = await startServer(other, 'info');
    try {
      const id = await uploadSample(server);
      results.statusWithRequestLogs = await statusThroughput(server, id);
      console.log(`状态接口（LOG_LEVEL=info，每个请求一行日志）：${JSON.stringify(results.statusWithRequestLogs)}`);
    } finally {
      await server.stop();
      await rm(other, { recursive: true, force: true });
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
  const out = join(ROOT, 'bench', 'results', 'api.json');
  await mkdir(dirname(out), { recursive: true });
  await writeFile(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`结果已写入 ${out}`);
}

await main();
