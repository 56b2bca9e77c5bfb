import * as net from 'net';

/**
 * How a cut looks to the two sides. `reset`: every open connection is torn
 * down and new ones are closed as soon as they are accepted (a machine
 * unplugged, a firewall that rejects). `hold`: nothing moves either way,
 * open connections stay open with their bytes held, new ones are accepted
 * but not passed on (a partition: a client waits on its own timeouts); a
 * restore delivers what was held, as TCP does when the network heals.
 */
export type CutMode = 'reset' | 'hold';

/** One client connection and the connection to the target it is passed to. */
interface ProxiedConnection {
    readonly client: net.Socket;
    upstream?: net.Socket;
}

/**
 * A real TCP proxy on 127.0.0.1 for chaos tests: clients connect to
 * {@link port}, bytes go both ways to the target unchanged, and the test can
 * cut the line ({@link cut}) and restore it ({@link restore}) at any moment,
 * or point it at another port ({@link retarget}, a server restarted
 * elsewhere). It counts connections so a test can wait for one to arrive.
 */
export class TcpProxy {
    protected server: net.Server | undefined;
    protected listenPort = 0;
    protected cutMode: CutMode | undefined;
    protected readonly open = new Set<ProxiedConnection>();
    /** Connections accepted since the start. */
    accepted = 0;
    /** Connections torn down by a `reset` cut (open ones, and ones that arrived during it). */
    resets = 0;

    constructor(protected targetPort: number, protected readonly targetHost = '127.0.0.1') { }

    /** Starts listening, on `port` or a free one. */
    async start(port = 0): Promise<this> {
        const server = net.createServer(client => this.accept(client));
        await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(port, '127.0.0.1', () => resolve());
        });
        this.listenPort = (server.address() as net.AddressInfo).port;
        this.server = server;
        return this;
    }

    get port(): number {
        return this.listenPort;
    }

    /** `http://127.0.0.1:<port>`: the address clients are given instead of the target's. */
    get url(): string {
        return `http://127.0.0.1:${this.listenPort}`;
    }

    /** Whether the line is cut now. */
    get isCut(): boolean {
        return this.cutMode !== undefined;
    }

    /** Connections open now (held ones included). */
    get connections(): number {
        return this.open.size;
    }

    /** Connections accepted during a `hold` cut and not passed on yet. */
    get waiting(): number {
        return [...this.open].filter(each => !each.upstream).length;
    }

    /** Cuts the line (see {@link CutMode}); cutting again changes the mode. */
    cut(mode: CutMode = 'reset'): void {
        this.cutMode = mode;
        for (const connection of [...this.open]) {
            if (mode === 'reset') {
                this.reset(connection);
            } else {
                connection.client.pause();
                connection.upstream?.pause();
            }
        }
    }

    /** Restores the line: held connections go on (and waiting ones reach the target), new ones pass. */
    restore(): void {
        this.cutMode = undefined;
        for (const connection of [...this.open]) {
            if (connection.upstream) {
                connection.client.resume();
                connection.upstream.resume();
            } else {
                this.connect(connection);
            }
        }
    }

    /** Sends new connections to another port of the target host (open ones keep theirs). */
    retarget(port: number): void {
        this.targetPort = port;
    }

    /** Stops listening and closes every connection. */
    async stop(): Promise<void> {
        const server = this.server;
        this.server = undefined;
        for (const connection of [...this.open]) {
            this.close(connection);
        }
        if (server) {
            await new Promise<void>(resolve => server.close(() => resolve()));
        }
    }

    protected accept(client: net.Socket): void {
        this.accepted++;
        const connection: ProxiedConnection = { client };
        this.open.add(connection);
        client.on('error', () => this.close(connection));
        client.on('close', () => this.close(connection));
        if (this.cutMode === 'reset') {
            this.reset(connection);
        } else if (this.cutMode === 'hold') {
            client.pause();
        } else {
            this.connect(connection);
        }
    }

    protected connect(connection: ProxiedConnection): void {
        const upstream = net.connect(this.targetPort, this.targetHost);
        connection.upstream = upstream;
        upstream.on('error', () => this.close(connection));
        upstream.on('close', () => this.close(connection));
        // No half-open lines: when one side ends, the other is ended too (pipe's default), then closed by the 'close' handlers.
        connection.client.pipe(upstream);
        upstream.pipe(connection.client);
        connection.client.resume();
    }

    protected reset(connection: ProxiedConnection): void {
        this.resets++;
        connection.client.resetAndDestroy();
        connection.upstream?.resetAndDestroy();
        this.open.delete(connection);
    }

    protected close(connection: ProxiedConnection): void {
        if (this.open.delete(connection)) {
            connection.client.destroy();
            connection.upstream?.destroy();
        }
    }
}
