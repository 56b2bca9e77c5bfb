import { inject, injectable } from '@theia/core/shared/inversify';
import { phasesOfRole, WorkerRole } from '../../common/fleet-protocol';
import { FleetPhase, FleetPhases } from './fleet-phases';
import type { WorkerSession } from './worker-session';

export const WorkerRoleAssigner = Symbol('WorkerRoleAssigner');

/**
 * Chooses the role of a worker that asked for `auto`: `all` while it is the
 * only worker connected; otherwise the bottleneck phase it can run (the one
 * with the most work waiting per worker on it, this one counted), and it
 * re-balances at heartbeats: a worker leaves a phase whose queue drained
 * for one that has work, and goes back to `all` when it is alone again.
 */
export interface WorkerRoleAssigner {
    /** The role for `session` among the connected `sessions` (itself included or not). */
    assign(session: WorkerSession, sessions: readonly WorkerSession[]): Promise<WorkerRole>;
}

@injectable()
export class BottleneckRoleAssigner implements WorkerRoleAssigner {

    @inject(FleetPhases)
    protected readonly phases: FleetPhases;

    async assign(session: WorkerSession, sessions: readonly WorkerSession[]): Promise<WorkerRole> {
        if (session.requestedRole !== 'auto') {
            return session.requestedRole;
        }
        const others = sessions.filter(other => other.id !== session.id && !other.lost);
        if (!others.length) {
            return 'all';
        }
        const running = this.phases.running();
        const candidates = running.filter(phase => this.canRun(session, phase));
        if (!candidates.length) {
            return 'auto';
        }
        const ids = running.map(phase => phase.phase);
        const scored = await Promise.all(candidates.map(async phase => {
            const backlog = await this.phases.backlog(phase.phase);
            const workers = others.filter(other => phasesOfRole(other.role, ids).includes(phase.phase)).length;
            return { phase: phase.phase, backlog, score: backlog / (workers + 1) };
        }));
        const current = scored.find(entry => entry.phase === session.role);
        if (current && current.backlog > 0) {
            // It keeps its model resident while its phase has work: switching costs a model load.
            return session.role;
        }
        const best = scored.reduce((a, b) => b.score > a.score ? b : a);
        return (best.backlog > 0 || !current ? best.phase : current.phase) as WorkerRole;
    }

    /** Whether the worker said it has the model the phase's results are keyed by. */
    protected canRun(session: WorkerSession, phase: FleetPhase): boolean {
        const model = session.models[phase.phase];
        return typeof model === 'string' && (phase.model === '' || model === phase.model);
    }
}
