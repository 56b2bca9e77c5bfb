import { inject, injectable } from '@theia/core/shared/inversify';
import { PhaseFailure, PhaseId, PhaseIds } from '../../common/job-protocol';
import { ArchiveIngester } from '../ingest/archive-ingester';
import { ArchiveStore } from '../store/archive-store';
import { SqliteParsePhaseRepository } from '../store/parse-phase-repository';
import { DrivenPhaseCounts, PhaseContribution, PhaseDriver, PhaseInput, PhaseOutput } from './phase-contribution';

/**
 * Parse, the first phase, registered like any other. The ingester drives it
 * per file (parse makes the asset the later phases work on): its commit of
 * a parsed asset writes the parse state and queues the next phases' jobs in
 * one transaction (see {@link PhaseCommitter.queueNext}). Its queue is the
 * files waiting to be indexed and its failures the files that failed, with
 * the ingest failure codes.
 */
@injectable()
export class ParsePhaseContribution implements PhaseContribution, PhaseDriver {

    readonly id: PhaseId = PhaseIds.PARSE;
    readonly needs: readonly PhaseId[] = [];
    readonly driver: PhaseDriver = this;

    @inject(ArchiveStore)
    protected readonly archive: ArchiveStore;

    @inject(ArchiveIngester)
    protected readonly ingester: ArchiveIngester;

    isEnabled(): boolean {
        return true;
    }

    /** Never called: parse jobs are not queued; the ingester parses files as it finds them. */
    async process(batch: readonly PhaseInput[]): Promise<PhaseOutput[]> {
        return batch.map(() => ({ kind: 'failed', error: { code: 'unsupported', message: 'Parse runs in the ingester, not from the job queue' }, retryable: false }));
    }

    counts(): DrivenPhaseCounts {
        return this.repository()?.counts() ?? { done: 0, queued: 0, leased: 0, failed: 0, doneLastMinute: 0 };
    }

    failures(limit: number): PhaseFailure[] {
        return this.repository()?.failures(limit) ?? [];
    }

    /** Reads every failed file again (one ingest run per folder); answers how many files. */
    async retryFailed(): Promise<number> {
        await this.archive.open();
        const count = this.repository()?.failedCount() ?? 0;
        if (count) {
            await this.ingester.retryFailed();
        }
        return count;
    }

    /**
     * Parse is run again when a file's content changes (a new version); its
     * result for unchanged content is the asset itself, so a re-run queues nothing.
     */
    async rerun(): Promise<number> {
        return 0;
    }

    protected repository(): SqliteParsePhaseRepository | undefined {
        const database = this.archive.opened()?.database;
        return database && new SqliteParsePhaseRepository(database);
    }
}
