import { request as httpRequest } from 'node:http';
import { CONFIRM_PATH, TOKEN_HEADER } from './broker.js';
import type { ConfirmEndpoint } from './endpoint.js';
import type { ConfirmAnswer, ConfirmRequest } from './types.js';

/**
 * Asks the session's broker about one confirm-class command and waits at most `waitMs`.
 * Rejects on anything but a well-formed answer (unreachable, refused, timed out): the caller
 * fails closed.
 */
export function requestConfirmation(endpoint: ConfirmEndpoint, request: ConfirmRequest, waitMs: number): Promise<ConfirmAnswer> {
  const body = JSON.stringify(request);
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: endpoint.host,
        port: endpoint.port,
        method: 'POST',
        path: CONFIRM_PATH,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), [TOKEN_HEADER]: endpoint.token },
        timeout: waitMs,
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          clearTimeout(timer);
          try {
            const parsed = JSON.parse(text) as Partial<ConfirmAnswer> & { error?: string };
            if (res.statusCode !== 200)
              throw new Error(`the broker refused the request (${res.statusCode}: ${parsed.error ?? 'no reason'})`);
            if ((parsed.answer !== 'allow' && parsed.answer !== 'deny') || !['person', 'policy', 'timeout'].includes(String(parsed.by)))
              throw new Error('malformed answer');
            resolve({ answer: parsed.answer, by: parsed.by as ConfirmAnswer['by'] });
          } catch (error) {
            reject(error as Error);
          }
        });
        res.on('error', reject);
      },
    );
    // `timeout` above only covers idle sockets; this bounds the whole wait.
    const timer = setTimeout(() => req.destroy(new Error(`no answer within ${Math.round(waitMs / 1000)} s`)), waitMs);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${Math.round(waitMs / 1000)} s`)));
    req.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    req.end(body);
  });
}
