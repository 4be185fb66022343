import type { FastifyRequest } from 'fastify';

/**
 * Work done for a request whose client has closed its connection: nobody will read the answer.
 * Thrown to stop it early (a validate judging an archive file by file holds the process's archive
 * turn, which the next province's upload waits for). Its 4xx status keeps it out of the error log;
 * the reply it makes goes nowhere.
 */
export class ClientLeft extends Error {
  readonly statusCode = 499;
  readonly done: number;
  constructor(done: number) {
    super(`the client closed its connection after ${done} files were judged`);
    this.done = done;
  }
}

/** Whether the request's client has gone: its connection closed before it was answered. */
export const clientLeft = (request: FastifyRequest): boolean => request.raw.socket?.destroyed ?? true;
