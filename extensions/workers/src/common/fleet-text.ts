import { nls } from '@theia/core/lib/common/nls';
import { formatDuration } from '@imageparser/archive-core/lib/common/duration-text';
import type { PhaseId } from '@imageparser/archive-core/lib/common/job-protocol';
import type { ThrottleLevel, WeekDay, WorkerRole, WorkerSchedule, WorkerState } from './fleet-protocol';
import type { FleetWorker } from './fleet-service';

/**
 * How the fleet panel and its commands word workers, roles, states,
 * resources and schedules, in the display language. Numbers go through
 * `Intl` in the display locale; words through `nls.localize`.
 */

/** The display language for `Intl`, as Theia's `nls` has it. */
export function displayLocale(): string {
    return nls.locale || nls.defaultLocale;
}

/** A count in the display language's digits ("1,234"). */
export function formatCount(count: number, locale = displayLocale()): string {
    return count.toLocaleString(locale);
}

/** A phase's name: the known phases in the display language, a contributed one by its id. */
export function phaseName(phase: PhaseId): string {
    switch (phase) {
        case 'parse': return nls.localize('imageparser/workers/phase/parse', 'Parse');
        case 'ocr': return nls.localize('imageparser/workers/phase/ocr', 'OCR');
        case 'caption': return nls.localize('imageparser/workers/phase/caption', 'Captions');
        case 'visual': return nls.localize('imageparser/workers/phase/visual', 'Image embeddings');
        case 'text': return nls.localize('imageparser/workers/phase/text', 'Caption embeddings');
        default: return phase;
    }
}

/** A role's name: a phase's name, or "All phases" / "Automatic". */
export function roleName(role: WorkerRole): string {
    switch (role) {
        case 'all': return nls.localize('imageparser/workers/role/all', 'All phases');
        case 'auto': return nls.localize('imageparser/workers/role/auto', 'Automatic');
        default: return phaseName(role);
    }
}

/** What a role does, in a line, for the role pickers. */
export function roleDescription(role: WorkerRole): string {
    switch (role) {
        case 'all': return nls.localize('imageparser/workers/roleDescription/all', 'Runs every AI phase, switching models as needed');
        case 'auto': return nls.localize('imageparser/workers/roleDescription/auto', 'The server gives it the phase with the most work waiting');
        default: return nls.localize('imageparser/workers/roleDescription/phase', 'Runs only {0}, its model kept loaded', phaseName(role));
    }
}

export function workerStateText(state: WorkerState): string {
    switch (state) {
        case 'active': return nls.localize('imageparser/workers/state/active', 'Active');
        case 'resting': return nls.localize('imageparser/workers/state/resting', 'Resting');
        case 'idle': return nls.localize('imageparser/workers/state/idle', 'Idle');
        case 'paused': return nls.localize('imageparser/workers/state/paused', 'Paused');
        case 'stopping': return nls.localize('imageparser/workers/state/stopping', 'Stopping');
        default: return state;
    }
}

export function connectionText(connection: FleetWorker['connection']): string {
    return connection === 'lost'
        ? nls.localize('imageparser/workers/connection/lost', 'Lost')
        : nls.localize('imageparser/workers/connection/connected', 'Connected');
}

export function throttleText(level: ThrottleLevel): string {
    switch (level) {
        case 'normal': return nls.localize('imageparser/workers/throttle/normal', 'Normal');
        case 'warning': return nls.localize('imageparser/workers/throttle/warning', 'Warning: smaller batches');
        case 'danger': return nls.localize('imageparser/workers/throttle/danger', 'Danger: resting');
        case 'critical': return nls.localize('imageparser/workers/throttle/critical', 'Critical: paused');
        default: return level;
    }
}

/** A percentage 0..100 as a whole percent in the display language ("42%"). */
export function formatPercent(percent: number, locale = displayLocale()): string {
    return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 0 }).format(Math.round(percent) / 100);
}

/** A temperature in degrees Celsius ("71°C"). */
export function formatTemperature(celsius: number, locale = displayLocale()): string {
    return new Intl.NumberFormat(locale, { style: 'unit', unit: 'celsius', maximumFractionDigits: 0 }).format(celsius);
}

/** Megabytes as gigabytes with one decimal ("23.6 GB"). */
export function formatMemory(megabytes: number, locale = displayLocale()): string {
    return new Intl.NumberFormat(locale, { style: 'unit', unit: 'gigabyte', maximumFractionDigits: 1 }).format(megabytes / 1024);
}

/** Jobs per minute ("12.5 per minute"). */
export function formatJobsPerMinute(perMinute: number, locale = displayLocale()): string {
    const number = new Intl.NumberFormat(locale, { maximumFractionDigits: perMinute < 10 ? 1 : 0 }).format(perMinute);
    return nls.localize('imageparser/workers/perMinute', '{0} per minute', number);
}

/** How long ago, from milliseconds ("4s ago"). */
export function formatAge(ageMs: number, locale = displayLocale()): string {
    return nls.localize('imageparser/workers/ago', '{0} ago', formatDuration(ageMs / 1000, locale));
}

/** A duration in seconds in the display language's short units ("2m 5s"). */
export function formatSeconds(seconds: number, locale = displayLocale()): string {
    return formatDuration(seconds, locale);
}

const WEEK: readonly WeekDay[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** A weekday's short name in the display language ("Mon", "월"). */
export function weekDayName(day: WeekDay, locale = displayLocale()): string {
    // 2024-01-01 was a Monday.
    const date = new Date(Date.UTC(2024, 0, 1 + WEEK.indexOf(day)));
    return new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' }).format(date);
}

/**
 * A schedule in a line: its hours ("22:00-08:00" or "All day"), its days
 * ("Mon, Tue" or "every day") and its time zone when it names one.
 */
export function scheduleText(schedule: WorkerSchedule | undefined, locale = displayLocale()): string {
    const hours = schedule?.activeHours ?? nls.localize('imageparser/workers/schedule/allDay', 'All day');
    const days = schedule?.activeDays?.length && schedule.activeDays.length < 7
        ? WEEK.filter(day => schedule.activeDays!.includes(day)).map(day => weekDayName(day, locale)).join(', ')
        : nls.localize('imageparser/workers/schedule/everyDay', 'every day');
    return schedule?.timezone
        ? nls.localize('imageparser/workers/schedule/withZone', '{0}, {1} ({2})', hours, days, schedule.timezone)
        : nls.localize('imageparser/workers/schedule/text', '{0}, {1}', hours, days);
}

/** A worker's name in lists and pickers: its machine's hostname. */
export function workerName(worker: FleetWorker): string {
    return worker.machine.hostname;
}
