// Requests Node's HTTP parser refuses before any route sees them: headers past its 16 KB limit (a query string that
// long is part of them), a request it cannot read as HTTP, a client too slow to send its headers. Node answers these
// with a status and an empty body; here they get the body every other refusal has, {error: {code, message}}, so a
// client reads one shape whatever went wrong.
import { STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type { ErrorResponse } from '../../shared/protocol.ts';

/** The answer to each of the parser's refusals, by Node's error code; any other is a 400. */
const ANSWERS: Record<string, [number, string, string]> = {
  HPE_HEADER_OVERFLOW: [431, 'HEADERS_TOO_LARGE', 'The request headers, or the address with its query, are too large'],
  HPE_CHUNK_EXTENSIONS_OVERFLOW: [413, 'PAYLOAD_TOO_LARGE', 'The body is too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'REQUEST_TIMEOUT', 'The request took too long to arrive'],
};

/** Answers the parser's refusals on `server` in the house's error shape, then closes the connection (as Node does). */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: Duplex) => {
    // A connection reset, or one already answered: nothing to say, and nobody to say it to.
    if (err.code === 'ECONNRESET' || !socket.writable) return void socket.destroy();
    const [status, code, message] = ANSWERS[err.code ?? ''] ?? [400, 'BAD_REQUEST', 'The request is not valid HTTP'];
    const body = JSON.stringify({ error: { code, message } } satisfies ErrorResponse);
    socket.end(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
