// The upload floor: the same files, by the same client, to an HTTP endpoint that only parses the
// multipart body, hashes the file and answers 202 (fastify and @fastify/multipart, as the ingest
// service), with nothing stored and nothing queued. What HTTP uploads alone cost this machine.
import { fork } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpuSeconds } from './support.ts';
import { uploadAll, uploadClient } from './upload-client.ts';

export type UploadFloor = { seconds: number; serverCpu: number; clientCpu: number };

async function serve(): Promise<void> {
  const { default: Fastify } = await import('fastify');
  const { default: multipart } = await import('@fastify/multipart');
  const app = Fastify();
  await app.register(multipart);
  let id = 0;
  app.post('/v1/submissions', async (req, reply) => {
    const submissions: { id: number; sha256: string }[] = [];
    for await (const part of req.parts()) {
      if (part.type === 'file')
        submissions.push({
          id: (id += 1),
          sha256: createHash('sha256')
            .update(await part.toBuffer())
            .digest('hex'),
        });
    }
    return reply.code(202).send({ submissions });
  });
  const address = await app.listen({ port: 0, host: '127.0.0.1' });
  process.send!(address);
}

export async function runUploadFloor(
  files: readonly { name: string; text: string | Buffer }[],
  concurrency: number,
): Promise<UploadFloor> {
  const server = fork(new URL(import.meta.url).pathname, ['serve'], { stdio: 'inherit' });
  const base = await new Promise<string>((resolve) => server.once('message', (m) => resolve(String(m))));
  const post = uploadClient(base, concurrency);
  const serverBefore = cpuSeconds(server.pid!);
  const clientBefore = process.cpuUsage();
  const started = Date.now();
  await uploadAll(files, concurrency, async (f) => {
    const r = await post(f.name, f.text, 'floor');
    if (r.status !== 202) throw new Error(`upload floor: ${r.status} ${r.body}`);
  });
  const seconds = (Date.now() - started) / 1000;
  const client = process.cpuUsage(clientBefore);
  const serverCpu = cpuSeconds(server.pid!) - serverBefore;
  server.kill();
  return { seconds, serverCpu, clientCpu: (client.user + client.system) / 1e6 };
}

if (process.argv[2] === 'serve') await serve();
