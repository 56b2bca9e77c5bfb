import { ChildProcess, spawn } from 'child_process';
import * as net from 'net';
import IORedis from 'ioredis';

/** Debian's server (`redis-server` package; `scripts/ensure-system-deps.sh` installs it). */
export const REDIS_SERVER = process.env.IMAGEPARSER_REDIS_SERVER ?? '/usr/bin/redis-server';

/** Runs the server in the background, prints its pid, kills it when stdin (this process's pipe) closes, and exits with it. */
export const REDIS_WRAPPER = 'exec 3<&0; "$@" & r=$!; echo "redis-test-server-pid $r"; ' +
    '(read _ <&3; kill -9 $r 2>/dev/null) & w=$!; wait $r; s=$?; kill $w 2>/dev/null; exit $s';

/**
 * A real `redis-server` for one test file, run in the foreground as a child of
 * the test process (no persistence, loopback only), on a free port. It dies
 * with the test process, even one killed with SIGKILL: `stop` ends it with SIGTERM, `kill` with SIGKILL,
 * `restart` starts a fresh empty one on the same port.
 */
export class RedisTestServer {

    protected child: ChildProcess | undefined;
    /** The server's own pid (the child is the shell that holds it). */
    protected pid: number | undefined;
    protected output = '';

    protected constructor(readonly port: number) { }

    get url(): string {
        return `redis://127.0.0.1:${this.port}`;
    }

    /** Starts a server on a free port and answers once it answers PING. */
    static async start(): Promise<RedisTestServer> {
        const server = new RedisTestServer(await freePort());
        await server.launch();
        return server;
    }

    /** Ends the server with SIGTERM and waits for it to exit. */
    async stop(): Promise<void> {
        await this.end('SIGTERM');
    }

    /** Ends the server with SIGKILL (a crash) and waits for it to exit. */
    async kill(): Promise<void> {
        await this.end('SIGKILL');
    }

    /** Kills the server and starts an empty one on the same port (clients reconnect to it). */
    async restart(): Promise<void> {
        await this.kill();
        await this.launch();
    }

    /** Empties every database of the server. */
    async flushAll(): Promise<void> {
        const client = new IORedis(this.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
        try {
            await client.connect();
            await client.flushall();
        } finally {
            client.disconnect();
        }
    }

    protected async launch(): Promise<void> {
        this.output = '';
        this.pid = undefined;
        // A shell holds the server and a watcher of the pipe from this process: when this process dies, however, the pipe
        // closes and the watcher kills the server, so no redis-server outlives its test. The server's stdin is /dev/null.
        const child = spawn('/bin/sh', ['-c', REDIS_WRAPPER, 'redis-test-server', REDIS_SERVER,
            '--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no'],
        { stdio: ['pipe', 'pipe', 'pipe'] });
        this.child = child;
        const keep = (chunk: Buffer) => {
            this.output = (this.output + chunk.toString('utf8')).slice(-4000);
            const pid = /redis-test-server-pid (\d+)/.exec(this.output);
            if (pid && this.pid === undefined) {
                this.pid = Number(pid[1]);
            }
        };
        child.stdout!.on('data', keep);
        child.stderr!.on('data', keep);
        const exited = new Promise<never>((_, reject) => {
            child.once('exit', code => reject(new Error(`redis-server on port ${this.port} exited with ${code} before it answered: ${this.output}`)));
            child.once('error', error => reject(new Error(`${REDIS_SERVER} did not start (install Debian's redis-server): ${error.message}`)));
        });
        exited.catch(() => undefined);
        const started = Date.now();
        for (;;) {
            if (this.pid !== undefined && await Promise.race([ping(this.port), exited])) {
                return;
            }
            if (Date.now() - started > 10_000) {
                await this.kill();
                throw new Error(`redis-server on port ${this.port} did not answer within 10 s: ${this.output}`);
            }
            await new Promise(resolve => setTimeout(resolve, 20));
        }
    }

    protected async end(signal: NodeJS.Signals): Promise<void> {
        const child = this.child;
        const pid = this.pid;
        this.child = undefined;
        this.pid = undefined;
        if (!child || child.exitCode !== null || child.signalCode !== null) {
            return;
        }
        // The shell exits when the server has.
        const exited = new Promise(resolve => child.once('exit', resolve));
        if (pid !== undefined) {
            process.kill(pid, signal);
        } else {
            child.stdin!.end();
        }
        await exited;
    }
}

/** Whether a Redis server answers PING on the port now. */
function ping(port: number): Promise<boolean> {
    return new Promise(resolve => {
        const socket = net.connect(port, '127.0.0.1');
        socket.setTimeout(1000);
        socket.once('connect', () => socket.write('PING\r\n'));
        socket.once('data', data => {
            socket.destroy();
            resolve(data.toString('latin1').startsWith('+PONG'));
        });
        socket.once('error', () => resolve(false));
        socket.once('timeout', () => {
            socket.destroy();
            resolve(false);
        });
    });
}

function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}
