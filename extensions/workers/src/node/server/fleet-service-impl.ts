import * as os from 'os';
import { inject, injectable, named, optional } from '@theia/core/shared/inversify';
import { Disposable, DisposableCollection } from '@theia/core/lib/common/disposable';
import { ILogger } from '@theia/core/lib/common/logger';
import { PhasePipeline } from '@imageparser/archive-core/lib/node/jobs/phase-pipeline';
import { WORKER_ROLES, WorkerCommand, WorkerRole } from '../../common/fleet-protocol';
import { FleetClient, FleetOverview, FleetService, IssuedWorkerToken, WorkerTokenInfo } from '../../common/fleet-service';
import { LocalWorkerLauncher } from '../runtime/local-worker-launcher';
import { FleetOverviews } from './fleet-overviews';
import { FleetServerAddress } from './fleet-server-address';
import { LocalWorkerTokens } from './local-worker-tokens';
import { WorkerRegistry } from './worker-registry';
import { WorkerTokenService } from './worker-token-service';

/**
 * The fleet RPC service of one frontend connection: the overview, commands
 * to workers, tokens and contributing this machine, checked as they come;
 * its client is told the overview when the fleet or the queues change, at
 * most once per {@link FleetServiceImpl.NOTIFY_INTERVAL_MS} (the latest
 * state always arrives).
 */
@injectable()
export class FleetServiceImpl implements FleetService, Disposable {

    static readonly NOTIFY_INTERVAL_MS = 250;

    @inject(WorkerRegistry)
    protected readonly registry: WorkerRegistry;

    @inject(WorkerTokenService)
    protected readonly tokenService: WorkerTokenService;

    @inject(FleetOverviews)
    protected readonly overviews: FleetOverviews;

    @inject(LocalWorkerTokens)
    protected readonly localTokens: LocalWorkerTokens;

    @inject(PhasePipeline) @optional()
    protected readonly pipeline: PhasePipeline | undefined;

    @inject(FleetServerAddress) @optional()
    protected readonly address: FleetServerAddress | undefined;

    @inject(LocalWorkerLauncher) @optional()
    protected readonly launcher: LocalWorkerLauncher | undefined;

    @inject(ILogger) @named('workers:FleetService')
    protected readonly logger: ILogger;

    protected client: FleetClient | undefined;
    protected readonly subscriptions = new DisposableCollection();
    protected timer: ReturnType<typeof setTimeout> | undefined;
    protected lastNotified = 0;

    overview(): Promise<FleetOverview> {
        return this.overviews.overview(this.launcher?.running());
    }

    async command(sessionId: string, command: WorkerCommand): Promise<void> {
        if (typeof sessionId !== 'string' || typeof command !== 'object' || command === null) {
            throw new Error('A command needs a worker session id and a command');
        }
        await this.registry.command(sessionId, command);
    }

    async unblock(hostname: string): Promise<void> {
        if (typeof hostname !== 'string' || !hostname) {
            throw new Error('Unblocking needs the machine\'s host name');
        }
        await this.registry.unblock(hostname);
    }

    async tokens(): Promise<WorkerTokenInfo[]> {
        const sessions = this.registry.sessions().filter(session => !session.lost);
        return (await this.tokenService.list()).map(token => ({
            id: token.id, label: token.label, createdAt: token.createdAt, ...token.revokedAt ? { revokedAt: token.revokedAt } : {},
            sessions: sessions.filter(session => session.tokenId === token.id).length
        }));
    }

    async issueToken(label: string): Promise<IssuedWorkerToken> {
        const issued = await this.tokenService.issue(label);
        return { id: issued.record.id, label: issued.record.label, createdAt: issued.record.createdAt, sessions: 0, token: issued.secret };
    }

    async revokeToken(id: string): Promise<void> {
        await this.tokenService.revoke(id);
        this.registry.forgetToken(id);
    }

    async contributeThisMachine(role: WorkerRole): Promise<void> {
        if (!WORKER_ROLES.includes(role)) {
            throw new Error(`There is no worker role ${JSON.stringify(role)}`);
        }
        const launcher = this.launcher;
        const url = this.address?.localUrl();
        if (!launcher || !url) {
            throw new Error('This server cannot start a worker on its own machine (no worker launcher, or the server does not listen yet).');
        }
        await this.stopContributing();
        const issued = await this.tokenService.issue(`${os.hostname()} (this machine)`);
        this.localTokens.add(issued.record.id);
        try {
            await launcher.start(url, issued.secret, role);
        } catch (error) {
            await this.tokenService.revoke(issued.record.id).catch(() => undefined);
            this.localTokens.remove(issued.record.id);
            throw error;
        }
        this.logger.info(`This machine contributes a ${role} worker to its own server`);
    }

    async stopContributing(): Promise<void> {
        await this.launcher?.stop();
        for (const token of await this.tokenService.list()) {
            if (this.localTokens.isLocal(token.id)) {
                if (!token.revokedAt) {
                    await this.tokenService.revoke(token.id);
                }
                this.registry.forgetToken(token.id);
                this.localTokens.remove(token.id);
            }
        }
    }

    setClient(client: FleetClient | undefined): void {
        this.subscriptions.dispose();
        clearTimeout(this.timer);
        this.timer = undefined;
        this.client = client;
        if (client) {
            const notify = () => this.scheduleNotify();
            this.subscriptions.push(this.registry.onDidChange(notify));
            this.subscriptions.push(this.tokenService.onDidChange(notify));
            if (this.pipeline) {
                this.subscriptions.push(this.pipeline.onDidChangeProgress(notify));
            }
        }
    }

    dispose(): void {
        this.setClient(undefined);
    }

    protected scheduleNotify(): void {
        if (this.timer) {
            return;
        }
        const wait = Math.max(0, this.lastNotified + FleetServiceImpl.NOTIFY_INTERVAL_MS - Date.now());
        this.timer = setTimeout(() => this.notify(), wait);
    }

    protected async notify(): Promise<void> {
        this.timer = undefined;
        this.lastNotified = Date.now();
        if (!this.client) {
            return;
        }
        try {
            const overview = await this.overview();
            this.client?.onFleetChanged(overview);
        } catch (error) {
            this.logger.warn('Could not read the fleet overview for a client', error);
        }
    }
}
