import { nls } from '@theia/core/lib/common/nls';
import { isMap, isScalar, isSeq, LineCounter, Node, parseDocument, YAMLMap } from 'yaml';
import type { WeekDay, WorkerSchedule } from '../../common/fleet-protocol';
import { DEFAULT_WORKER_SETTINGS, ThrottleSettings, ThrottleThresholds, WorkerSettings } from '../../common/worker-settings';
import { isKnownTimeZone, parseActiveHours, WEEK_DAYS } from './worker-schedule';

/** A settings file the worker refuses to start on; the message names the file, the line and the field. */
export class WorkerSettingsError extends Error {
    constructor(message: string, readonly file: string, readonly line?: number) {
        super(message);
        this.name = 'WorkerSettingsError';
    }
}

const METRICS: readonly { readonly key: keyof ThrottleThresholds; readonly max: number }[] = [
    { key: 'gpuTemperatureC', max: 150 },
    { key: 'gpuMemoryPercent', max: 100 },
    { key: 'cpuPercent', max: 100 },
    { key: 'memoryPercent', max: 100 }
];
const LEVELS = ['warning', 'danger', 'critical'] as const;
const HOUR_MS = 3_600_000;

/**
 * Reads the text of a `user-settings.yaml` into {@link WorkerSettings}: the
 * `worker:` section (other top-level sections belong to others and are left
 * alone), every field optional and falling back to the defaults field by
 * field. Anything it cannot use (bad YAML, an unknown field, a number out of
 * range, hours or days or a time zone it cannot read, a level's limit under
 * the one before it) throws {@link WorkerSettingsError}.
 */
export function parseWorkerSettings(text: string, file: string): WorkerSettings {
    return new WorkerSettingsReader(text, file).read();
}

class WorkerSettingsReader {
    protected readonly lines = new LineCounter();

    constructor(protected readonly text: string, protected readonly file: string) { }

    read(): WorkerSettings {
        const document = parseDocument(this.text, { lineCounter: this.lines, prettyErrors: false });
        const error = document.errors[0];
        if (error) {
            const line = error.linePos?.[0].line ?? 1;
            throw new WorkerSettingsError(nls.localize('imageparser/workers/settings/syntax', '{0}, line {1}: this is not valid YAML: {2}', this.file, line, error.message.split('\n')[0]), this.file, line);
        }
        const root = document.contents;
        if (root === null || (isScalar(root) && root.value === null)) {
            return DEFAULT_WORKER_SETTINGS;
        }
        const top = this.mapping(root, 'user-settings.yaml');
        const worker = top.get('worker', true) as Node | undefined;
        if (worker === undefined || (isScalar(worker) && worker.value === null)) {
            return DEFAULT_WORKER_SETTINGS;
        }
        const section = this.fields(worker, 'worker', ['schedule', 'throttle']);
        return {
            schedule: this.schedule(section.get('schedule')),
            throttle: this.throttle(section.get('throttle'))
        };
    }

    protected schedule(node: Node | undefined): WorkerSchedule {
        const fields = this.fields(node, 'worker.schedule', ['activeHours', 'activeDays', 'timezone', 'idleUnloadMinutes']);
        const hours = fields.get('activeHours');
        const days = fields.get('activeDays');
        const zone = fields.get('timezone');
        const idle = fields.get('idleUnloadMinutes');
        const schedule: { -readonly [K in keyof WorkerSchedule]: WorkerSchedule[K] } = {
            idleUnloadMinutes: idle ? this.number(idle, 'worker.schedule.idleUnloadMinutes', 0, 7 * 24 * 60) : DEFAULT_WORKER_SETTINGS.schedule.idleUnloadMinutes
        };
        if (hours) {
            const value = isScalar(hours) ? hours.value : undefined;
            if (typeof value !== 'string' || !parseActiveHours(value)) {
                this.fail(hours, nls.localize('imageparser/workers/settings/hours', '{0}, line {1}: {2} must be hours like "22:00-08:00" whose start and end differ.', this.file, this.lineOf(hours), 'worker.schedule.activeHours'));
            }
            schedule.activeHours = (value as string).trim();
        }
        if (days) {
            schedule.activeDays = this.days(days);
        }
        if (zone) {
            const value = isScalar(zone) ? zone.value : undefined;
            if (typeof value !== 'string' || !isKnownTimeZone(value.trim())) {
                this.fail(zone, nls.localize('imageparser/workers/settings/timezone', '{0}, line {1}: {2} is not a known time zone (such as Asia/Seoul).', this.file, this.lineOf(zone), 'worker.schedule.timezone'));
            }
            schedule.timezone = (value as string).trim();
        }
        return schedule;
    }

    protected days(node: Node): WeekDay[] {
        const fail = () => this.fail(node, nls.localize('imageparser/workers/settings/days', '{0}, line {1}: {2} must be a list of days among mon, tue, wed, thu, fri, sat, sun.', this.file, this.lineOf(node), 'worker.schedule.activeDays'));
        if (!isSeq(node)) {
            return fail();
        }
        const days = node.items.map(item => isScalar(item) && typeof item.value === 'string' ? item.value.trim().toLowerCase().slice(0, 3) : '');
        if (!days.length || days.some(day => !WEEK_DAYS.includes(day as WeekDay))) {
            return fail();
        }
        return [...new Set(days as WeekDay[])];
    }

    /**
     * The three levels' limits: what the file sets, and for a limit it leaves
     * out the default kept between the limits it sets for the levels around
     * it (`critical: { cpuPercent: 99 }` alone lowers the default 100 % of
     * warning and danger to 99). Limits the file sets out of order are refused.
     */
    protected throttle(node: Node | undefined): ThrottleSettings {
        const defaults = DEFAULT_WORKER_SETTINGS.throttle;
        const fields = this.fields(node, 'worker.throttle', [...LEVELS, 'warningBatchScale', 'warningPauseMs', 'dangerRestMs']);
        const given = LEVELS.map(level => ({ level, node: fields.get(level), values: this.thresholds(fields.get(level), level) }));
        const limits = { warning: { ...defaults.warning }, danger: { ...defaults.danger }, critical: { ...defaults.critical } } as Record<typeof LEVELS[number], { -readonly [K in keyof ThrottleThresholds]: number }>;
        for (const { key } of METRICS) {
            given.forEach(({ level, values }, index) => {
                const below = given.slice(0, index).map(each => each.values[key]).filter((value): value is number => value !== undefined);
                const above = given.slice(index + 1).map(each => each.values[key]).filter((value): value is number => value !== undefined);
                limits[level][key] = values[key] ?? Math.min(Math.max(defaults[level][key], ...below), ...above);
            });
            for (let index = 1; index < given.length; index++) {
                const [lower, upper] = [given[index - 1], given[index]];
                const [low, high] = [limits[lower.level][key], limits[upper.level][key]];
                if (low !== undefined && high !== undefined && low > high) {
                    const at = (upper.values[key] !== undefined ? upper.node : lower.node) as Node;
                    this.fail(at, nls.localize('imageparser/workers/settings/order', '{0}, line {1}: {2} ({3}) must not be above {4} ({5}).', this.file, this.lineOf(at),
                        `worker.throttle.${lower.level}.${key}`, limits[lower.level][key], `worker.throttle.${upper.level}.${key}`, limits[upper.level][key]));
                }
            }
        }
        const scalar = (key: 'warningBatchScale' | 'warningPauseMs' | 'dangerRestMs', min: number, max: number) => {
            const field = fields.get(key);
            return field ? this.number(field, `worker.throttle.${key}`, min, max) : defaults[key];
        };
        return {
            ...limits,
            warningBatchScale: scalar('warningBatchScale', 0.01, 1),
            warningPauseMs: scalar('warningPauseMs', 0, HOUR_MS),
            dangerRestMs: scalar('dangerRestMs', 0, HOUR_MS)
        };
    }

    /** The limits a level's mapping sets (undefined for those it leaves out). */
    protected thresholds(node: Node | undefined, level: typeof LEVELS[number]): Partial<Record<keyof ThrottleThresholds, number>> {
        const fields = this.fields(node, `worker.throttle.${level}`, METRICS.map(metric => metric.key));
        return Object.fromEntries(METRICS.map(({ key, max }) => {
            const field = fields.get(key);
            return [key, field ? this.number(field, `worker.throttle.${level}.${key}`, 0, max) : undefined];
        }));
    }

    /** The fields of a mapping (empty when absent or `~`), refusing any not in `known`. */
    protected fields(node: Node | undefined, path: string, known: readonly string[]): Map<string, Node> {
        const fields = new Map<string, Node>();
        if (node === undefined || (isScalar(node) && node.value === null)) {
            return fields;
        }
        for (const pair of this.mapping(node, path).items) {
            const key = isScalar(pair.key) ? String(pair.key.value) : '';
            if (!known.includes(key)) {
                const at = (pair.key ?? node) as Node;
                this.fail(at, nls.localize('imageparser/workers/settings/unknownField', '{0}, line {1}: {2} is not a worker setting; {3} can hold {4}.',
                    this.file, this.lineOf(at), `${path}.${key}`, path, known.join(', ')));
            }
            if (pair.value !== null && pair.value !== undefined) {
                fields.set(key, pair.value as Node);
            }
        }
        return fields;
    }

    protected mapping(node: Node, path: string): YAMLMap {
        if (!isMap(node)) {
            this.fail(node, nls.localize('imageparser/workers/settings/notMapping', '{0}, line {1}: {2} must be a mapping of settings (name: value).', this.file, this.lineOf(node), path));
        }
        return node as YAMLMap;
    }

    protected number(node: Node, path: string, min: number, max: number): number {
        const value = isScalar(node) ? node.value : undefined;
        if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
            this.fail(node, nls.localize('imageparser/workers/settings/number', '{0}, line {1}: {2} must be a number from {3} to {4}.', this.file, this.lineOf(node), path, min, max));
        }
        return value as number;
    }

    protected lineOf(node: Node): number {
        return node.range ? this.lines.linePos(node.range[0]).line : 1;
    }

    protected fail(node: Node, message: string): never {
        throw new WorkerSettingsError(message, this.file, this.lineOf(node));
    }
}
