/** An in-process aedes broker on 127.0.0.1, port 0, for tests of the fleet, recorder and replayer. */
import net from 'node:net';
import { Aedes, type Client } from 'aedes';

export interface TestBroker {
  url: string;
  aedes: Aedes;
  clients: Map<string, Client>;
  close(): Promise<void>;
}

export async function startTestBroker(): Promise<TestBroker> {
  const aedes = await Aedes.createBroker();
  const clients = new Map<string, Client>();
  aedes.on('client', (c) => clients.set(c.id, c));
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    aedes.handle(socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  let closed: Promise<void> | null = null;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    aedes,
    clients,
    close() {
      closed ??= new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => aedes.close(() => resolve()));
      });
      return closed;
    },
  };
}
