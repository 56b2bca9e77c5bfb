import { inject, injectable } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { PhaseFailure, PhaseId, PhaseProgress, PhaseService } from '@imageparser/archive-core/lib/common/job-protocol';
import { isWorking } from '../common/phase-progress-text';
import { PhaseProgressEvents } from '@imageparser/archive-core/lib/browser/phase-progress-events';
import { PhasesSelection } from './phases-selection';

/** How many failures of a phase the view lists. */
export const LISTED_FAILURES = 100;

/** `loading` until the first counts arrive; `unavailable` when the backend could not answer (see {@link PhasesModel.error}). */
export type PhasesModelState = 'loading' | 'ready' | 'unavailable';

/**
 * What the Phases view and the status bar show: every phase's counts from
 * the backend (kept current by its notices), the failures of the phases
 * whose list is open, and which phase has a control in flight. Controls go
 * through here and answer what the backend answered.
 */
@injectable()
export class PhasesModel {

    @inject(PhaseService)
    protected readonly service: PhaseService;

    @inject(PhaseProgressEvents)
    protected readonly events: PhaseProgressEvents;

    @inject(PhasesSelection)
    protected readonly selection: PhasesSelection;

    protected readonly onDidChangeEmitter = new Emitter<void>();
    /** Fires when anything the model holds changed: counts, failures, busy phases, the selection. */
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    protected _state: PhasesModelState = 'loading';
    protected _error = '';
    protected _phases: PhaseProgress[] = [];
    protected readonly expanded = new Set<PhaseId>();
    protected readonly failureLists = new Map<PhaseId, { readonly failed: number; readonly failures: PhaseFailure[] }>();
    protected readonly busy = new Set<PhaseId>();
    protected started = false;

    /** Starts following the counts (idempotent). */
    start(): void {
        if (this.started) {
            return;
        }
        this.started = true;
        this.events.onDidChange(progress => this.setProgress(progress));
        this.selection.onDidChange(() => this.fire());
        this.refresh();
    }

    get state(): PhasesModelState {
        return this._state;
    }

    /** Why the backend could not answer, when {@link state} is `unavailable`. */
    get error(): string {
        return this._error;
    }

    get phases(): readonly PhaseProgress[] {
        return this._phases;
    }

    find(phase: PhaseId): PhaseProgress | undefined {
        return this._phases.find(each => each.phase === phase);
    }

    /** The first phase, in pipeline order, with work it gets on with now. */
    get working(): PhaseProgress | undefined {
        return this._phases.find(isWorking);
    }

    get selectedAssetIds(): readonly number[] {
        return this.selection.assetIds;
    }

    isBusy(phase: PhaseId): boolean {
        return this.busy.has(phase);
    }

    isExpanded(phase: PhaseId): boolean {
        return this.expanded.has(phase);
    }

    /** The listed failures of a phase whose list is open; undefined while they load. */
    failures(phase: PhaseId): readonly PhaseFailure[] | undefined {
        return this.failureLists.get(phase)?.failures;
    }

    /** Opens or closes a phase's failures list; opening loads it. */
    async toggleFailures(phase: PhaseId): Promise<void> {
        if (this.expanded.delete(phase)) {
            this.failureLists.delete(phase);
            this.fire();
            return;
        }
        this.expanded.add(phase);
        this.fire();
        await this.loadFailures(phase);
    }

    async refresh(): Promise<void> {
        try {
            this.setProgress(await this.service.progress());
        } catch (error) {
            this._state = 'unavailable';
            this._error = error instanceof Error ? error.message : String(error);
            this.fire();
        }
    }

    pause(phase: PhaseId): Promise<void> {
        return this.control(phase, () => this.service.pause(phase));
    }

    resume(phase: PhaseId): Promise<void> {
        return this.control(phase, () => this.service.resume(phase));
    }

    /** Queues a phase's failed jobs again; answers how many. */
    retryFailed(phase: PhaseId): Promise<number> {
        return this.control(phase, () => this.service.retryFailed(phase));
    }

    /** Runs a phase again on the selected assets; answers how many jobs were queued. */
    rerunSelected(phase: PhaseId): Promise<number> {
        const assetIds = [...this.selection.assetIds];
        return this.control(phase, () => this.service.rerun(phase, assetIds));
    }

    protected async control<T>(phase: PhaseId, action: () => Promise<T>): Promise<T> {
        this.busy.add(phase);
        this.fire();
        try {
            return await action();
        } finally {
            this.busy.delete(phase);
            await this.refresh();
        }
    }

    protected setProgress(progress: PhaseProgress[]): void {
        this._phases = progress;
        this._state = 'ready';
        this._error = '';
        this.fire();
        for (const phase of this.expanded) {
            const listed = this.failureLists.get(phase);
            if (!listed || listed.failed !== this.find(phase)?.failed) {
                this.loadFailures(phase);
            }
        }
    }

    protected async loadFailures(phase: PhaseId): Promise<void> {
        const failed = this.find(phase)?.failed ?? 0;
        try {
            const failures = await this.service.failures(phase, LISTED_FAILURES);
            if (this.expanded.has(phase)) {
                this.failureLists.set(phase, { failed, failures });
            }
        } catch {
            // An unknown phase (gone from the backend) lists nothing.
            this.failureLists.set(phase, { failed, failures: [] });
        }
        this.fire();
    }

    protected fire(): void {
        this.onDidChangeEmitter.fire();
    }
}
