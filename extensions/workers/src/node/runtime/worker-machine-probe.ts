import type { WorkerMachine } from '../../common/fleet-protocol';

export const WorkerMachineProbe = Symbol('WorkerMachineProbe');

/**
 * Describes the machine a worker runs on for its registration: host name,
 * platform, CPU, memory and the GPUs `nvidia-smi` lists (none without it).
 * Never throws. `SystemResourceMonitor` implements it beside `ResourceMonitor`.
 */
export interface WorkerMachineProbe {
    machine(): Promise<WorkerMachine>;
}
