// A TCP relay on this host: connections to `listenHost:port` are piped to a
// local service, so hubs in network namespaces reach a server that listens on
// loopback only (the test PostgreSQL, which trusts 127.0.0.1).
import net from 'node:net';

export interface TcpRelay {
  port: number;
  close(): Promise<void>;
}

export async function startTcpRelay(target: { host: string; port: number }, listenHost = '0.0.0.0'): Promise<TcpRelay> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((inbound) => {
    const outbound = net.connect(target.port, target.host);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {
        inbound.destroy();
        outbound.destroy();
      });
    }
    inbound.pipe(outbound);
    outbound.pipe(inbound);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, listenHost, resolve);
  });
  return {
    port: (server.address() as net.AddressInfo).port,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
