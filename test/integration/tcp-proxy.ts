import net from 'node:net';

/**
 * A loopback TCP proxy in front of a real server, for outages at the network level: `cut()`
 * drops every open connection and refuses new ones (ECONNREFUSED), as a stopped or restarting
 * server does; `restore()` accepts connections on the same port again.
 */
export interface TcpProxy {
  port: number;
  cut(): Promise<void>;
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(
  targetPort: number,
  targetHost = '127.0.0.1',
): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const track = (socket: net.Socket) => {
    sockets.add(socket);
    // A dropped peer is the point of the exercise, not an error of the test.
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  };
  let server: net.Server | null = null;
  let port = 0;

  const listen = async () => {
    const created = net.createServer((client) => {
      const upstream = net.connect(targetPort, targetHost);
      track(client);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      created.once('error', reject);
      created.listen(port, '127.0.0.1', () => resolve());
    });
    port = (created.address() as net.AddressInfo).port;
    server = created;
  };
  const cut = async () => {
    const closing = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    if (closing) await new Promise<void>((resolve) => closing.close(() => resolve()));
  };

  await listen();
  return {
    port,
    cut,
    restore: listen,
    close: cut,
  };
}
