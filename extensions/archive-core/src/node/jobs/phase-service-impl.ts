import { inject, injectable, named } from '@theia/core/shared/inversify';
import { Disposable } from '@theia/core/lib/common/disposable';
import { ILogger } from '@theia/core/lib/common/logger';
import { PhaseClient, PhaseFailure, PhaseId, PhaseProgress, PhaseService } from '../../common/job-protocol';
import { PhasePipeline } from './phase-pipeline';

/** The most failures one call answers. */
export const MAX_FAILURES = 500;

/**
 * The phases RPC service of one frontend connection: a thin layer over the
 * {@link PhasePipeline} that checks what a client sends and tells its
 * client the progress when the counts change, at most once per
 * {@link PhaseServiceImpl.NOTIFY_INTERVAL_MS} (the latest counts always
 * arrive, a burst of changes costs one count).
 */
@injectable()
export class PhaseServiceImpl implements PhaseService, Disposable {

    static readonly NOTIFY_INTERVAL_MS = 250;

    @inject(PhasePipeline)
    protected readonly pipeline: PhasePipeline;

    @inject(ILogger) @named('archive-core:PhaseService')
    protected readonly logger: ILogger;

    protected client: PhaseClient | undefined;
    protected subscription: Disposable | undefined;
    protected timer: ReturnType<typeof setTimeout> | undefined;
    protected lastNotified = 0;

    async progress(): Promise<PhaseProgress[]> {
        return await this.pipeline.progress();
    }

    async failures(phase: PhaseId, limit: number): Promise<PhaseFailure[]> {
        await this.checkPhase(phase);
        if (!Number.isInteger(limit) || limit < 1) {
            throw new Error(`The number of failures to list must be a whole number of at least 1, not ${JSON.stringify(limit)}`);
        }
        return await this.pipeline.failures(phase, Math.min(limit, MAX_FAILURES));
    }

    async pause(phase: PhaseId): Promise<void> {
        await this.checkPhase(phase);
        await this.pipeline.pause(phase);
    }

    async resume(phase: PhaseId): Promise<void> {
        await this.checkPhase(phase);
        await this.pipeline.resume(phase);
    }

    async retryFailed(phase: PhaseId): Promise<number> {
        await this.checkPhase(phase);
        return await this.pipeline.retryFailed(phase);
    }

    async rerun(phase: PhaseId, assetIds: readonly number[]): Promise<number> {
        await this.checkPhase(phase);
        if (!Array.isArray(assetIds) || !assetIds.every(id => Number.isSafeInteger(id) && id > 0)) {
            throw new Error('Re-run needs a list of asset ids (whole numbers above 0)');
        }
        return assetIds.length ? await this.pipeline.rerun(phase, [...new Set(assetIds)]) : 0;
    }

    setClient(client: PhaseClient | undefined): void {
        this.subscription?.dispose();
        clearTimeout(this.timer);
        this.timer = undefined;
        this.client = client;
        this.subscription = client && this.pipeline.onDidChangeProgress(() => this.scheduleNotify());
    }

    dispose(): void {
        this.setClient(undefined);
    }

    /** Refuses anything but the id of a phase the pipeline runs, with a message that names the phases there are. */
    protected async checkPhase(phase: unknown): Promise<void> {
        const known = (await this.pipeline.progress()).map(each => each.phase);
        if (typeof phase !== 'string' || !known.includes(phase)) {
            throw new Error(`Unknown phase ${JSON.stringify(phase)}; the phases are: ${known.join(', ')}`);
        }
    }

    protected scheduleNotify(): void {
        if (this.timer) {
            return;
        }
        const wait = Math.max(0, this.lastNotified + PhaseServiceImpl.NOTIFY_INTERVAL_MS - Date.now());
        this.timer = setTimeout(() => this.notify(), wait);
    }

    protected async notify(): Promise<void> {
        this.timer = undefined;
        this.lastNotified = Date.now();
        if (!this.client) {
            return;
        }
        try {
            const progress = await this.pipeline.progress();
            this.client?.onPhaseProgress(progress);
        } catch (error) {
            this.logger.warn('Could not count the phase progress for a client', error);
        }
    }
}
