import type { PhaseProgress } from '../../common/job-protocol';
import { formatDuration } from '../../common/duration-text';

/** The columns `imageparser phases` prints, one row per phase. */
export function phaseTable(phases: readonly PhaseProgress[]): string {
    const header = ['phase', 'model', 'done', 'queued', 'leased', 'failed', 'progress', 'rate', 'left', 'lag', 'model state', 'state'];
    const rows = phases.map(phase => [
        phase.phase,
        phase.model || '-',
        String(phase.done),
        String(phase.queued),
        String(phase.leased),
        String(phase.failed),
        `${(phase.fraction * 100).toFixed(1)}%`,
        `${phase.rate.toFixed(1)}/s`,
        phase.etaSeconds === undefined ? '-' : formatDuration(phase.etaSeconds),
        phase.oldestQueuedSeconds === undefined ? '-' : formatDuration(phase.oldestQueuedSeconds),
        phase.modelState,
        !phase.enabled ? 'off' : phase.paused ? 'paused' : 'on'
    ]);
    const widths = header.map((title, column) => Math.max(title.length, ...rows.map(row => row[column].length)));
    const numeric = new Set([2, 3, 4, 5, 6, 7]);
    const line = (cells: string[]) => cells.map((cell, column) => numeric.has(column) ? cell.padStart(widths[column]) : cell.padEnd(widths[column]))
        .join('  ').trimEnd();
    return [line(header), ...rows.map(line)].join('\n');
}

/** One phase as a plain progress line (for a log, not a terminal). */
export function phaseLine(phase: PhaseProgress): string {
    const total = phase.done + phase.queued + phase.leased + phase.failed;
    const left = phase.etaSeconds === undefined ? '' : `, ${formatDuration(phase.etaSeconds)} left`;
    return `${phase.phase}: ${phase.done + phase.failed}/${total} (${phase.done} done, ${phase.failed} failed, ${phase.leased} in progress), ${phase.rate.toFixed(1)}/s${left}`;
}
