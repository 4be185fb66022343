import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { Redis } from 'ioredis';

export type RedisServer = {
  readonly url: string;
  readonly port: number;
  flushAll(): Promise<void>;
  stop(): Promise<void>;
};

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/**
 * A redis-server of our own, on a free port (or `port`: the outage run starts it again where it
 * was), without persistence: the chaos run flushes it, which must never happen to the Redis that
 * other people's tests share on 6379.
 */
export async function startRedisServer(options: { port?: number } = {}): Promise<RedisServer> {
  const port = options.port ?? (await freePort());
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const orphaned = () => child.kill('SIGKILL');
  process.on('exit', orphaned);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => process.off('exit', orphaned));
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (e) => reject(new Error(`redis-server could not start (is it installed?): ${e.message}`))),
  );
  const url = `redis://127.0.0.1:${port}`;
  const admin = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => 100 });
  admin.on('error', () => {});
  const deadline = Date.now() + 10_000;
  for (;;) {
    const up = await Promise.race([
      admin.ping().then(
        () => true,
        () => false,
      ),
      spawnError,
    ]);
    if (up) break;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port,
    flushAll: async () => {
      await admin.flushall();
    },
    stop: async () => {
      admin.disconnect();
      child.kill('SIGKILL');
      await exited;
    },
  };
}
