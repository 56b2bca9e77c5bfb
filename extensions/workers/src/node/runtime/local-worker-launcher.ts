import type { WorkerRole } from '../../common/fleet-protocol';

export const LocalWorkerLauncher = Symbol('LocalWorkerLauncher');

/**
 * Starts and stops the worker this machine contributes to its own server
 * ("Contribute This Machine as a Worker"): an `imageparser worker` child
 * process that registers like any other worker, reads no stdin, and dies
 * with the backend (IPC disconnect, parent pid gone).
 */
export interface LocalWorkerLauncher {
    /** Starts it with this role and a token issued for it; restarts it when one runs already. */
    start(serverUrl: string, token: string, role: WorkerRole): Promise<{ readonly pid: number }>;
    /** Stops it (its held jobs are given back); resolves when it has exited. */
    stop(): Promise<void>;
    /** The running one, if any. */
    running(): { readonly role: WorkerRole; readonly pid: number } | undefined;
}
