import { injectable } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { FleetClient, FleetOverview } from '../common/fleet-service';

/**
 * The frontend's end of the fleet notices: the backend sends the whole
 * overview when the fleet changed (a heartbeat, a registration, a command),
 * at most a few times a second.
 */
@injectable()
export class FleetEvents implements FleetClient {

    protected readonly onDidChangeEmitter = new Emitter<FleetOverview>();
    /** Fires with the new overview each time the backend sends one. */
    readonly onDidChange: Event<FleetOverview> = this.onDidChangeEmitter.event;

    onFleetChanged(overview: FleetOverview): void {
        this.onDidChangeEmitter.fire(overview);
    }
}
