// A TCP proxy on 127.0.0.1:0 in front of a server the tests need to take
// away and give back (a load balancer in front of nodes; PostgreSQL or Redis
// going down): 'pass' pipes connections through; 'refuse' closes new ones at
// once (the server is down); 'blackhole' accepts them and sends nothing
// either way (a partition). `drop()` cuts the connections open now.
import { createConnection, createServer, type Server, type Socket } from 'node:net';

export type ProxyMode = 'pass' | 'refuse' | 'blackhole';

export class TcpProxy {
  /** The port connections go to. */
  target: number;
  mode: ProxyMode = 'pass';
  private readonly server: Server;
  private readonly open = new Set<Socket>();

  constructor(target: number) {
    this.target = target;
    this.server = createServer((client) => {
      this.track(client);
      if (this.mode === 'refuse') { client.destroy(); return; }
      if (this.mode === 'blackhole') { client.on('error', () => client.destroy()); return; }
      const upstream = createConnection(this.target, '127.0.0.1');
      this.track(upstream);
      const end = () => { client.destroy(); upstream.destroy(); };
      client.on('error', end).on('close', end);
      upstream.on('error', end).on('close', end);
      client.pipe(upstream).pipe(client);
    });
  }

  private track(s: Socket): void {
    this.open.add(s);
    s.on('close', () => this.open.delete(s));
  }

  /** Listens; resolves with the port. */
  listen(): Promise<number> {
    return new Promise((resolve) => this.server.listen(0, '127.0.0.1', () => {
      const a = this.server.address();
      resolve(typeof a === 'object' && a ? a.port : 0);
    }));
  }

  /** Cuts every connection open now. */
  drop(): void { for (const s of this.open) s.destroy(); this.open.clear(); }

  close(): Promise<void> { this.drop(); return new Promise((r) => this.server.close(() => r())); }
}
