import { injectable } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { PhaseClient, PhaseProgress } from '../common/job-protocol';

/**
 * The frontend's end of the phase progress notices: the backend sends the
 * counts of every phase when they change, at most a few times a second.
 */
@injectable()
export class PhaseProgressEvents implements PhaseClient {

    protected readonly onDidChangeEmitter = new Emitter<PhaseProgress[]>();
    /** Fires with the counts of every phase when they changed. */
    readonly onDidChange: Event<PhaseProgress[]> = this.onDidChangeEmitter.event;

    onPhaseProgress(progress: PhaseProgress[]): void {
        this.onDidChangeEmitter.fire(progress);
    }
}
