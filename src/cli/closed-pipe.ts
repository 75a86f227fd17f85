/**
 * `orchestrate … | head -1`: once the reader has gone, writing to stdout fails with EPIPE (Node
 * ignores SIGPIPE and emits an 'error' event, which would crash orchestrate and take the running
 * agents with it). Output ends quietly instead; the session goes on and writes its files.
 */
export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED') return;
    throw error;
  });
}
