import { createServer } from 'node:net';

/**
 * A free TCP port on 127.0.0.1, for the few programs that cannot listen on port 0 and report back (Prometheus,
 * Alertmanager). The port is released before it is returned; callers retry on the rare collision.
 */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (typeof address === 'object' && address !== null) resolve(address.port);
        else reject(new Error('no port'));
      });
    });
  });
}
