// The load generator's HTTP client: the bench shares the machine with what it measures, and a
// multipart body written by hand on a kept-alive connection costs it about a third of what fetch
// with FormData does.
import { Agent, request } from 'node:http';

const boundary = 'tonghop-bench-boundary';

export type UploadClient = (
  name: string,
  content: string | Buffer,
  token: string,
) => Promise<{ status: number; body: string }>;

/** POSTs one file as `multipart/form-data` to `${base}/v1/submissions`, at most `sockets` at once. */
export function uploadClient(base: string, sockets: number): UploadClient {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  return (name, content, token) => {
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\ncontent-disposition: form-data; name="file"; filename="${name}"\r\ncontent-type: application/octet-stream\r\n\r\n`,
      ),
      Buffer.from(content),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return new Promise((resolve, reject) => {
      const req = request(`${base}/v1/submissions`, {
        method: 'POST',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': body.length,
        },
      });
      req.on('response', (res) => {
        let data = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (data += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
      });
      req.on('error', reject);
      req.end(body);
    });
  };
}

/** Hands every file, in order, to `send`, with `concurrency` sends at once. */
export async function uploadAll<F extends { name: string }>(
  files: readonly F[],
  concurrency: number,
  send: (file: F) => Promise<void>,
): Promise<void> {
  let next = 0;
  const uploader = async () => {
    while (next < files.length) await send(files[next++]!);
  };
  await Promise.all(Array.from({ length: concurrency }, uploader));
}
