/**
 * The phases a `bench:fleet` server hands its simulated workers, loaded into
 * `imageparser serve` through `IMAGEPARSER_PHASE_MODULES`: caption and
 * visual on every asset, text once the asset's caption is done (the server's
 * committer queues it in the completion's transaction, as for the real
 * phases). The server works none of them itself (`IMAGEPARSER_LOCAL_PHASES=none`);
 * a result is a small JSON the store keeps nowhere else.
 */
import { ContainerModule } from '@theia/core/shared/inversify';
import { PhaseContribution } from '@imageparser/archive-core/lib/node/jobs/phase-contribution';
import { BENCH_MODEL, BENCH_PHASE_IDS } from './fleet-bench-queue';
import { FleetPhase, SEED_TIMINGS } from './fleet-timings';

function benchPhase(phase: FleetPhase, needs: FleetPhase[]): PhaseContribution {
    return {
        id: BENCH_PHASE_IDS[phase],
        needs: needs.map(need => BENCH_PHASE_IDS[need]),
        batchSize: SEED_TIMINGS.batch[phase],
        model: { id: BENCH_MODEL(phase), isAvailable: () => true },
        isEnabled: () => true,
        process: async batch => batch.map(() => ({ kind: 'failed', error: { code: 'internal', message: 'bench phases run on the simulated workers only' }, retryable: true }))
    };
}

export default new ContainerModule(bind => {
    bind(PhaseContribution).toConstantValue(benchPhase('caption', []));
    bind(PhaseContribution).toConstantValue(benchPhase('visual', []));
    bind(PhaseContribution).toConstantValue(benchPhase('text', ['caption']));
});
