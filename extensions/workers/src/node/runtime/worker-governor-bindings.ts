import type { interfaces } from '@theia/core/shared/inversify';
import { DefaultWorkerGovernor } from './default-worker-governor';
import { SystemResourceMonitor } from './system-resource-monitor';
import { ResourceMonitor, WorkerGovernor } from './worker-governor';
import { WorkerMachineProbe } from './worker-machine-probe';

/** Binds the worker's governor, its resource monitor and machine probe (for a worker's container). */
export function bindWorkerGovernor(bind: interfaces.Bind): void {
    bind(DefaultWorkerGovernor).toSelf().inSingletonScope();
    bind(WorkerGovernor).toService(DefaultWorkerGovernor);
    bind(SystemResourceMonitor).toSelf().inSingletonScope();
    bind(ResourceMonitor).toService(SystemResourceMonitor);
    bind(WorkerMachineProbe).toService(SystemResourceMonitor);
}
