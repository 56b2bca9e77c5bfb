import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { ArchiveErrors, ArchiveService, ArchiveStatus } from '../common/archive-protocol';
import { ArchiveChangeService } from '../common/archive-change-protocol';
import { describeArchiveUnavailable } from './archive-error-messages';
import { ArchiveChangeEvents } from './archive-change-events';

/** What the frontend currently knows about the archive. */
export type ArchiveStatusState =
    | { readonly kind: 'loading' }
    | { readonly kind: 'ready'; readonly status: ArchiveStatus }
    /** `message` is for the user, in their language; `detail` is the backend's own words. */
    | { readonly kind: 'error'; readonly message: string; readonly detail?: string };

/**
 * The archive status shared by the status bar and the welcome view. Asks the
 * backend once at start, on {@link refresh} and whenever the archive changes
 * (also by another process, such as the `imageparser` command); fires {@link onDidChange} after
 * every change of {@link state}.
 */
@injectable()
export class ArchiveStatusModel {

    @inject(ArchiveService)
    protected readonly archiveService: ArchiveService;

    @inject(ArchiveChangeEvents)
    protected readonly changes: ArchiveChangeEvents;

    /** Injected so the change notices' connection opens with the status. */
    @inject(ArchiveChangeService)
    protected readonly changeService: ArchiveChangeService;

    protected readonly onDidChangeEmitter = new Emitter<ArchiveStatusState>();
    readonly onDidChange: Event<ArchiveStatusState> = this.onDidChangeEmitter.event;

    protected currentState: ArchiveStatusState = { kind: 'loading' };
    protected pending: Promise<void> | undefined;
    protected stale = false;

    get state(): ArchiveStatusState {
        return this.currentState;
    }

    @postConstruct()
    protected init(): void {
        this.changes.onDidChange(() => this.refresh());
        this.refresh();
    }

    /**
     * Asks the backend again. Calls made while a request is in flight share
     * it, and one more request follows it: the archive may have changed after
     * the backend answered.
     */
    refresh(): Promise<void> {
        if (this.pending) {
            this.stale = true;
            return this.pending;
        }
        this.pending = this.load().finally(() => {
            this.pending = undefined;
            if (this.stale) {
                this.stale = false;
                this.refresh();
            }
        });
        return this.pending;
    }

    protected async load(): Promise<void> {
        try {
            this.setState({ kind: 'ready', status: await this.archiveService.getStatus() });
        } catch (error) {
            if (error instanceof Error && ArchiveErrors.Unavailable.is(error)) {
                this.setState({ kind: 'error', message: describeArchiveUnavailable(error.data), detail: error.data.detail });
            } else {
                this.setState({ kind: 'error', message: error instanceof Error ? error.message : String(error) });
            }
        }
    }

    protected setState(state: ArchiveStatusState): void {
        this.currentState = state;
        this.onDidChangeEmitter.fire(state);
    }
}
