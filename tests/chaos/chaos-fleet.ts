import * as fs from 'fs';
import * as path from 'path';
import type { WorkerRole } from '../../extensions/workers/src/common/fleet-protocol';
import { alive, FleetProcess, freePort, killHard, spawnImageparser, waitForOutput } from './fleet-processes';
import { TcpProxy } from './tcp-proxy';

/** The queue engine a fleet's server runs on. */
export type FleetEngine = 'embedded' | 'bullmq';

/** How a {@link ChaosFleet} is set up. */
export interface ChaosFleetOptions {
    /** The archive folder the server serves (indexed already). */
    readonly archive: string;
    /** Where every process's log goes (kept when a run fails). */
    readonly logs: string;
    /** The AI models' environment (server and workers). */
    readonly aiEnv: NodeJS.ProcessEnv;
    readonly engine: FleetEngine;
    /** The Redis the bullmq engine uses. */
    readonly redisUrl?: string;
    /** The job lease, and how often workers heartbeat (ms, on the server's clock). */
    readonly leaseMs: number;
    readonly heartbeatMs: number;
}

/** The server's ready line: `imageparser: serving <archive> at http://host:port`. */
const SERVING = /imageparser: serving .* at (http:\/\/[^\s]+)/;
/** A worker token as `imageparser token issue` prints it (`ipw1.<id>.<secret>`). */
const TOKEN = /\b(ipw1\.[0-9a-f]+\.[A-Za-z0-9_-]+)/;

/**
 * Worker settings for a chaos run on a shared machine: active all day, the
 * model kept while the run lasts, and throttle limits at the top of their
 * ranges with no pauses, so a busy CI machine's CPU does not rest the
 * workers (throttling has its own tests; this run is about kills and cuts).
 */
const CHAOS_WORKER_SETTINGS = `worker:
  schedule:
    idleUnloadMinutes: 0
  throttle:
    warning: { gpuTemperatureC: 150, gpuMemoryPercent: 100, cpuPercent: 100, memoryPercent: 100 }
    danger: { gpuTemperatureC: 150, gpuMemoryPercent: 100, cpuPercent: 100, memoryPercent: 100 }
    critical: { gpuTemperatureC: 150, gpuMemoryPercent: 100, cpuPercent: 100, memoryPercent: 100 }
    warningBatchScale: 1
    warningPauseMs: 0
    dangerRestMs: 200
`;

/**
 * A real fleet on this machine for chaos tests: one `imageparser serve`
 * over the archive (its own phases off, so the workers do all the work)
 * and `imageparser worker` processes that reach it only through a
 * {@link TcpProxy} the test can cut. Every process can be SIGKILLed and
 * started again; the server comes back on the same port, so workers find
 * it through the same proxy address, register again (their old session is
 * unknown: 410) and go on.
 */
export class ChaosFleet {
    readonly proxy: TcpProxy;
    server: FleetProcess | undefined;
    /** The workers by slot (`worker-1`…); a killed one stays until it is replaced. */
    readonly workers = new Map<string, FleetProcess>();
    protected readonly roles = new Map<string, WorkerRole>();
    protected token = '';
    protected starts = 0;
    protected readonly settingsFile: string;

    protected constructor(readonly options: ChaosFleetOptions, readonly serverPort: number, proxy: TcpProxy) {
        this.proxy = proxy;
        this.settingsFile = path.join(options.logs, 'user-settings.yaml');
        fs.mkdirSync(options.logs, { recursive: true });
        fs.writeFileSync(this.settingsFile, CHAOS_WORKER_SETTINGS);
    }

    /** Picks the server's port, starts the proxy in front of it and issues a worker token; the server starts with {@link startServer}. */
    static async create(options: ChaosFleetOptions): Promise<ChaosFleet> {
        const serverPort = await freePort();
        const proxy = await new TcpProxy(serverPort).start();
        const fleet = new ChaosFleet(options, serverPort, proxy);
        fleet.token = await fleet.issueToken('chaos 작업자');
        return fleet;
    }

    /** `imageparser index <folder>` into the archive, on the fleet's engine (so its jobs are queued where the server looks). */
    async index(folder: string): Promise<void> {
        const index = spawnImageparser('index', ['index', folder, '--archive', this.options.archive, '--threads', '1'], this.serverEnv(), this.options.logs);
        const code = await index.exited;
        if (code !== 0) {
            throw new Error(`imageparser index ended with ${code}:\n${index.output.join('')}`);
        }
    }

    /** The environment the server runs with: the engine, the pacing, no phases of its own. */
    protected serverEnv(): NodeJS.ProcessEnv {
        return {
            ...this.options.aiEnv,
            IMAGEPARSER_LOCAL_PHASES: 'none',
            IMAGEPARSER_QUEUE_ENGINE: this.options.engine,
            ...(this.options.redisUrl ? { IMAGEPARSER_REDIS_URL: this.options.redisUrl } : {}),
            IMAGEPARSER_JOB_LEASE_MS: String(this.options.leaseMs),
            IMAGEPARSER_FLEET_HEARTBEAT_MS: String(this.options.heartbeatMs)
        };
    }

    /** `imageparser token issue <label>`; answers the secret it printed. */
    async issueToken(label: string): Promise<string> {
        const issue = spawnImageparser('token', ['token', 'issue', label, '--archive', this.options.archive], this.serverEnv(), this.options.logs);
        const code = await issue.exited;
        const printed = issue.output.join('');
        const token = printed.match(TOKEN)?.[1];
        if (code !== 0 || !token) {
            throw new Error(`imageparser token issue ended with ${code} and printed no token:\n${printed}`);
        }
        return token;
    }

    /** Starts the server on its port and waits for its ready line. */
    async startServer(): Promise<void> {
        const server = spawnImageparser('server', ['serve', '--archive', this.options.archive, '--port', String(this.serverPort), '--host', '127.0.0.1'],
            this.serverEnv(), this.options.logs);
        this.server = server;
        await waitForOutput(server, SERVING, 60_000);
    }

    /** SIGKILLs the server (answers whether it ran). */
    async killServer(): Promise<boolean> {
        return this.server ? killHard(this.server) : false;
    }

    /** Starts (or replaces) the worker in `slot` with `role`, through the proxy. */
    startWorker(slot: string, role: WorkerRole = this.roles.get(slot) ?? 'all'): FleetProcess {
        this.roles.set(slot, role);
        this.starts++;
        const worker = spawnImageparser(slot, ['worker', '--server', this.proxy.url, '--token', this.token, '--role', role, '--settings', this.settingsFile],
            { ...this.options.aiEnv }, this.options.logs);
        this.workers.set(slot, worker);
        return worker;
    }

    /** SIGKILLs the worker in `slot` (answers whether it ran). */
    async killWorker(slot: string): Promise<boolean> {
        const worker = this.workers.get(slot);
        return worker ? killHard(worker) : false;
    }

    /** The workers that run now. */
    running(): FleetProcess[] {
        return [...this.workers.values()].filter(alive);
    }

    /** Worker processes started so far (restarts included). */
    get workerStarts(): number {
        return this.starts;
    }

    /** Stops everything: SIGTERM to the workers and the server (they close cleanly), SIGKILL after a few seconds, then the proxy. */
    async stop(): Promise<void> {
        const processes = [...this.workers.values(), ...(this.server ? [this.server] : [])].filter(alive);
        processes.forEach(each => each.child.kill('SIGTERM'));
        const killer = setTimeout(() => processes.filter(alive).forEach(each => each.child.kill('SIGKILL')), 5000);
        await Promise.all(processes.map(each => each.exited));
        clearTimeout(killer);
        await this.proxy.stop();
    }
}
