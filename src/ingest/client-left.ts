import type { FastifyRequest } from 'fastify';

/**
 * Work done for a request whose client has closed its connection: nobody will read the answer.
 * Thrown to stop it early (a validate judging an archive file by file holds the process's archive
 * turn, which the next province's upload waits for). The error handler answers it with an empty 499
 * that goes nowhere; Node writes no access line for a connection already closed, so the code that
 * stops logs why.
 */
export class ClientLeft extends Error {
  constructor(judged: number) {
    super(`the client closed its connection after ${judged} files were judged`);
  }
}

/**
 * Whether the request's client has gone: its connection closed before it was answered. A request
 * with no socket of its own (Fastify's inject) is never taken for gone.
 */
export const clientLeft = (request: FastifyRequest): boolean => request.raw.socket?.destroyed === true;
