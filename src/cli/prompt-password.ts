import { createInterface } from 'node:readline/promises';

/** Reads one line from a terminal without echoing it; from a pipe, reads the first line as is. */
async function readHidden(question: string, input: NodeJS.ReadStream, output: NodeJS.WriteStream): Promise<string> {
  if (!input.isTTY) {
    const rl = createInterface({ input, terminal: false });
    for await (const line of rl) {
      rl.close();
      return line;
    }
    return '';
  }
  output.write(question);
  input.setRawMode(true);
  input.resume();
  input.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') {
          done();
          output.write('\n');
          resolve(text);
          return;
        }
        if (ch === '\u0003') {
          done();
          reject(new Error('cancelled'));
          return;
        }
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    const done = () => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
    };
    input.on('data', onData);
  });
}

/** A new password, typed twice on a terminal so a typo is caught before the account exists. */
export async function promptNewPassword(
  input: NodeJS.ReadStream = process.stdin,
  output: NodeJS.WriteStream = process.stderr,
): Promise<string> {
  const first = await readHidden('Password: ', input, output);
  if (!input.isTTY) {
    // Nothing piped in (a script, a container without a terminal): say what is missing, not that '' is too short.
    if (first === '')
      throw new Error(
        'no password: there is no terminal to ask on and TONGHOP_PASSWORD is not set (set it, or pipe the password on standard input)',
      );
    return first;
  }
  const second = await readHidden('Repeat the password: ', input, output);
  if (first !== second) throw new Error('the two passwords differ');
  return first;
}
