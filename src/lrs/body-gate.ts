import { availableParallelism } from 'node:os';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import pLimit from 'p-limit';
import { isAlternateSyntax } from './alternate-syntax.ts';

/**
 * Bodies above this many bytes (or of unknown length) wait for a slot before they are read:
 * the site's statement batches and State documents are a few KB and never wait.
 */
export const LARGE_BODY_BYTES = 64 * 1024;

/**
 * Let only a few large request bodies be read, parsed, validated and stored at once, so memory
 * stays bounded however many arrive together. A 1 MiB batch of statements costs ~13 MB of heap
 * while it is parsed, validated and stored (bench/hostile.ts: 24 at once took the process to
 * 548 MB); with one slot per core, 24 of them cost what two do, and the others wait (unread, in
 * the kernel's socket buffers) for their turn. The time they wait counts against the request
 * timeout (DEFAULT_TIMEOUTS of src/lrs/app.ts). POSTs in the alternate request syntax wait for
 * slots of their own: the request each carries is replayed through the same scope and takes a
 * slot of the others, which a form holding one must never wait for.
 *
 * Adds a preParsing hook (waits for a slot) and onResponse, onRequestAbort and onTimeout hooks
 * (give it back) to the scope; register it before any other preParsing hook.
 * @param scope the Fastify scope whose routes take bodies, e.g. the LRS's
 * @param slots how many large bodies at once (default: one per core, at least two)
 * Source: issue 12 ("bound memory under concurrent large bodies").
 */
export function gateLargeBodies(scope: FastifyInstance, slots = Math.max(2, availableParallelism())): void {
  const gate = pLimit(slots);
  const formGate = pLimit(slots);
  const leases = new WeakMap<FastifyRequest, () => void>();
  const giveBack = async (request: FastifyRequest): Promise<void> => {
    leases.get(request)?.();
    leases.delete(request);
  };

  scope.addHook('preParsing', async (request, _reply, payload) => {
    const length = Number(request.headers['content-length'] ?? Number.NaN);
    if (Number.isFinite(length) && length <= LARGE_BODY_BYTES) {
      return payload;
    }
    await new Promise<void>((entered) => {
      void (isAlternateSyntax(request) ? formGate : gate)(
        () =>
          new Promise<void>((release) => {
            // A client gone while it waited gives its slot back at once; one that goes later, with it.
            const socket = request.raw.socket as { destroyed?: boolean; once?: unknown; off?: unknown } | undefined;
            if (socket?.destroyed === true) {
              release();
            } else if (typeof socket?.once === 'function' && typeof socket.off === 'function') {
              const onClose = () => void giveBack(request);
              request.raw.socket.once('close', onClose);
              leases.set(request, () => {
                request.raw.socket.off('close', onClose);
                release();
              });
            } else {
              leases.set(request, release);
            }
            entered();
          }),
      );
    });
    return payload;
  });
  scope.addHook('onResponse', giveBack);
  scope.addHook('onRequestAbort', giveBack);
  scope.addHook('onTimeout', giveBack);
}
