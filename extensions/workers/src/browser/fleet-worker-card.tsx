import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import type { FleetWorker } from '../common/fleet-service';
import {
    connectionText, formatAge, formatCount, formatJobsPerMinute, formatMemory, formatPercent, formatTemperature, phaseName, roleName,
    scheduleText, throttleText, workerName, workerStateText
} from '../common/fleet-text';
import { FleetCommands } from './fleet-commands';

export interface FleetWorkerCardProps {
    readonly worker: FleetWorker;
    /** Its last heartbeat's age now (ms), on the server's clock. */
    readonly heartbeatAgeMs: number;
    readonly busy: boolean;
    /** Runs a fleet command on this worker. */
    readonly run: (commandId: string, sessionId: string) => void;
    /** Opens the worker's context menu at a point. */
    readonly openMenu: (sessionId: string, x: number, y: number) => void;
}

type Row = readonly [kind: string, label: string, value: string];

/** Labels and values of what the panel says about a worker, in the order shown. */
export function workerRows(worker: FleetWorker, heartbeatAgeMs: number): Row[] {
    const rows: Row[] = [];
    const role = worker.requestedRole !== worker.role
        ? nls.localize('imageparser/workers/roleRequested', '{0} (asked for {1})', roleName(worker.role), roleName(worker.requestedRole))
        : roleName(worker.role);
    rows.push(['role', nls.localize('imageparser/workers/label/role', 'Role'), role]);
    rows.push(['state', nls.localize('imageparser/workers/label/state', 'State'), workerStateText(worker.state)]);
    rows.push(['connection', nls.localize('imageparser/workers/label/connection', 'Connection'), connectionText(worker.connection)]);
    rows.push(['schedule', nls.localize('imageparser/workers/label/schedule', 'Schedule'), scheduleText(worker.schedule)]);
    const resources = worker.resources;
    if (resources?.gpuTemperatureC !== undefined) {
        rows.push(['gpu-temperature', nls.localize('imageparser/workers/label/gpuTemperature', 'GPU temperature'), formatTemperature(resources.gpuTemperatureC)]);
    }
    if (resources?.gpuMemoryPercent !== undefined) {
        rows.push(['gpu-memory', nls.localize('imageparser/workers/label/gpuMemory', 'GPU memory'), formatPercent(resources.gpuMemoryPercent)]);
    }
    if (resources?.gpuUtilizationPercent !== undefined) {
        rows.push(['gpu-utilization', nls.localize('imageparser/workers/label/gpuUtilization', 'GPU use'), formatPercent(resources.gpuUtilizationPercent)]);
    }
    if (resources) {
        rows.push(['cpu', nls.localize('imageparser/workers/label/cpu', 'CPU'), formatPercent(resources.cpuPercent)]);
        rows.push(['memory', nls.localize('imageparser/workers/label/memory', 'Memory'), formatPercent(resources.memoryPercent)]);
    }
    rows.push(['throttle', nls.localize('imageparser/workers/label/throttle', 'Throttle level'), throttleText(worker.throttle)]);
    const job = worker.currentJob;
    rows.push(['job', nls.localize('imageparser/workers/label/job', 'Current job'), job
        ? nls.localize('imageparser/workers/job/text', '{0}: {1}', phaseName(job.phase),
            job.name ?? nls.localize('imageparser/workers/job/asset', 'image #{0}', String(job.assetId)))
        : nls.localize('imageparser/workers/job/none', 'None')]);
    rows.push(['throughput', nls.localize('imageparser/workers/label/throughput', 'Throughput'), formatJobsPerMinute(worker.jobsPerMinute)]);
    rows.push(['done', nls.localize('imageparser/workers/label/done', 'Jobs done'), formatCount(worker.counters.done)]);
    rows.push(['failed', nls.localize('imageparser/workers/label/failed', 'Jobs failed'), formatCount(worker.counters.failed)]);
    rows.push(['loads', nls.localize('imageparser/workers/label/loads', 'Model loads'), formatCount(worker.counters.loads)]);
    rows.push(['unloads', nls.localize('imageparser/workers/label/unloads', 'Model unloads'), formatCount(worker.counters.unloads)]);
    rows.push(['heartbeat', nls.localize('imageparser/workers/label/heartbeat', 'Last heartbeat'), formatAge(heartbeatAgeMs)]);
    rows.push(['token', nls.localize('imageparser/workers/label/token', 'Token'), worker.tokenLabel]);
    rows.push(['machine', nls.localize('imageparser/workers/label/machine', 'Machine'), machineText(worker)]);
    return rows;
}

function machineText(worker: FleetWorker): string {
    const { machine } = worker;
    const cpu = nls.localize('imageparser/workers/machine/cpu', '{0} CPU cores, {1} memory', formatCount(machine.cpuCores), formatMemory(machine.memoryTotalMb));
    return machine.gpus.length
        ? nls.localize('imageparser/workers/machine/withGpu', '{0}; {1}', cpu, machine.gpus.map(gpu =>
            nls.localize('imageparser/workers/machine/gpu', '{0} ({1})', gpu.name, formatMemory(gpu.memoryTotalMb))).join(', '))
        : cpu;
}

/** One worker in the fleet panel: its badges, what it reports, and its controls; its context menu on right click, Shift+F10 or the menu key. */
export function FleetWorkerCard({ worker, heartbeatAgeMs, busy, run, openMenu }: FleetWorkerCardProps): React.ReactElement {
    const name = workerName(worker);
    const headingId = `imageparser-fleet-worker-${worker.sessionId}`;
    const onContextMenu = (event: React.MouseEvent) => {
        event.preventDefault();
        openMenu(worker.sessionId, event.clientX, event.clientY);
    };
    const onKeyDown = (event: React.KeyboardEvent<HTMLElement>) => {
        if (event.target === event.currentTarget && (event.key === 'ContextMenu' || (event.shiftKey && event.key === 'F10'))) {
            event.preventDefault();
            const box = event.currentTarget.getBoundingClientRect();
            openMenu(worker.sessionId, box.left + 16, box.top + 16);
        }
    };
    const button = (commandId: string, label: string, aria: string, secondary = true) =>
        <button key={commandId} className={`theia-button${secondary ? ' secondary' : ''}`} disabled={busy} aria-label={aria}
            onClick={() => run(commandId, worker.sessionId)}>{label}</button>;
    return <article className={`imageparser-fleet-worker imageparser-fleet-connection-${worker.connection}`} data-session={worker.sessionId}
        data-hostname={worker.machine.hostname} aria-labelledby={headingId} tabIndex={0} onContextMenu={onContextMenu} onKeyDown={onKeyDown}>
        <header className='imageparser-fleet-worker-header'>
            <h3 id={headingId} className='imageparser-fleet-worker-name'>{name}</h3>
            <span className='imageparser-fleet-badge imageparser-fleet-role'>{roleName(worker.role)}</span>
            <span className={`imageparser-fleet-badge imageparser-fleet-state imageparser-fleet-state-${worker.state}`}>{workerStateText(worker.state)}</span>
            {worker.connection === 'lost' && <span className='imageparser-fleet-badge imageparser-fleet-lost' role='status'>{connectionText('lost')}</span>}
            {worker.throttle !== 'normal' && <span className={`imageparser-fleet-badge imageparser-fleet-throttle-${worker.throttle}`}>{throttleText(worker.throttle)}</span>}
            {worker.local && <span className='imageparser-fleet-badge'>{nls.localize('imageparser/workers/local', 'This machine')}</span>}
        </header>
        <dl className='imageparser-fleet-worker-details'>
            {workerRows(worker, heartbeatAgeMs).map(([kind, label, value]) => <div key={kind} className={`imageparser-fleet-worker-${kind}`}>
                <dt>{label}</dt>
                <dd>{value}</dd>
            </div>)}
        </dl>
        <div className='imageparser-fleet-worker-controls'>
            {worker.state === 'paused'
                ? button(FleetCommands.RESUME_WORKER.id, nls.localize('imageparser/workers/resume', 'Resume'),
                    nls.localize('imageparser/workers/resumeAria', 'Resume {0}', name), false)
                : button(FleetCommands.PAUSE_WORKER.id, nls.localize('imageparser/workers/pause', 'Pause'),
                    nls.localize('imageparser/workers/pauseAria', 'Pause {0}', name))}
            {button(FleetCommands.CHANGE_ROLE.id, nls.localize('imageparser/workers/changeRole', 'Change role…'),
                nls.localize('imageparser/workers/changeRoleAria', 'Change the role of {0}', name))}
            {button(FleetCommands.STOP_WORKER.id, nls.localize('imageparser/workers/stop', 'Stop'),
                nls.localize('imageparser/workers/stopAria', 'Stop {0}', name))}
            {button(FleetCommands.BLOCK_WORKER.id, nls.localize('imageparser/workers/block', 'Block…'),
                nls.localize('imageparser/workers/blockAria', 'Block the machine {0}', name))}
        </div>
    </article>;
}
