/**
 * PROVISIONAL: stands in for the governor scope's `WorkerGovernor`,
 * `ResourceMonitor` and settings loader until they are merged (the lead
 * replaces {@link bindProvisionalGovernor} and {@link readWorkerSettings}
 * with theirs). It never throttles or follows a schedule: active while there
 * is work, paused while an admin paused it.
 */
import * as fs from 'fs';
import * as os from 'os';
import { injectable, interfaces } from '@theia/core/shared/inversify';
import { parse } from 'yaml';
import { DEFAULT_WORKER_SETTINGS, WorkerSettings } from '../../common/worker-settings';
import { GovernorDecision, GovernorInput, ResourceMonitor, ResourceSample, WorkerGovernor } from './worker-governor';

@injectable()
export class AlwaysActiveGovernor implements WorkerGovernor {
    decide(input: GovernorInput, _settings: WorkerSettings): GovernorDecision {
        const paused = input.pausedByAdmin;
        return {
            state: paused ? 'paused' : 'active', throttle: 'normal', claim: !paused, batchScale: 1,
            waitMs: 0, unloadModel: false, loadModel: false, reportPaused: false
        };
    }
}

/** CPU from the load average, memory from the OS; no GPU metrics. */
@injectable()
export class OsResourceMonitor implements ResourceMonitor {
    async sample(): Promise<ResourceSample> {
        const cpuPercent = Math.min(100, Math.round(100 * os.loadavg()[0] / Math.max(1, os.cpus().length)));
        const memoryPercent = Math.round(100 * (1 - os.freemem() / os.totalmem()));
        return { cpuPercent, memoryPercent };
    }
}

export function bindProvisionalGovernor(bind: interfaces.Bind): void {
    bind(WorkerGovernor).to(AlwaysActiveGovernor).inSingletonScope();
    bind(ResourceMonitor).to(OsResourceMonitor).inSingletonScope();
}

/** The worker's `user-settings.yaml` over the defaults; a file that is not there gives the defaults. */
export function readWorkerSettings(file: string | undefined): WorkerSettings {
    if (!file || !fs.existsSync(file)) {
        return DEFAULT_WORKER_SETTINGS;
    }
    const parsed = parse(fs.readFileSync(file, 'utf8')) as { worker?: Partial<WorkerSettings> } | null;
    const worker = parsed?.worker ?? {};
    return {
        schedule: { ...DEFAULT_WORKER_SETTINGS.schedule, ...worker.schedule },
        throttle: { ...DEFAULT_WORKER_SETTINGS.throttle, ...worker.throttle }
    };
}
