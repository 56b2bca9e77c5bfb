/**
 * A worker machine's own settings, from `user-settings.yaml` in the worker's
 * settings folder (`--settings FILE`, else `$IMAGEPARSER_WORKER_SETTINGS`,
 * else `~/.imageparser/user-settings.yaml`). Absent file = the defaults.
 *
 * ```yaml
 * worker:
 *   schedule:
 *     activeHours: "22:00-08:00"   # across midnight is fine; absent = all day
 *     activeDays: [mon, tue, wed, thu, fri]
 *     timezone: Asia/Seoul
 *     idleUnloadMinutes: 10
 *   throttle:
 *     warning:  { gpuTemperatureC: 85, gpuMemoryPercent: 80, cpuPercent: 100, memoryPercent: 80 }
 *     danger:   { gpuTemperatureC: 90, gpuMemoryPercent: 90, cpuPercent: 100, memoryPercent: 90 }
 *     critical: { gpuTemperatureC: 95, gpuMemoryPercent: 97, cpuPercent: 100, memoryPercent: 95 }
 *     warningBatchScale: 0.5        # batches shrink to this share at warning
 *     warningPauseMs: 2000          # and this pause between batches
 *     dangerRestMs: 30000           # danger: rest this long, then look again
 * ```
 * A limit may be `off` (e.g. `critical: { cpuPercent: off }`): that metric
 * never starts that level; a limit left out is kept between those set.
 * A bad file is refused with a message naming the line and the field; the
 * worker does not start on it.
 */
import type { WorkerSchedule } from './fleet-protocol';

/** Limits past which a level starts; a metric the machine does not report (no GPU) never triggers. */
export interface ThrottleThresholds {
    readonly gpuTemperatureC: number;
    readonly gpuMemoryPercent: number;
    readonly cpuPercent: number;
    readonly memoryPercent: number;
}

export interface ThrottleSettings {
    readonly warning: ThrottleThresholds;
    readonly danger: ThrottleThresholds;
    readonly critical: ThrottleThresholds;
    readonly warningBatchScale: number;
    readonly warningPauseMs: number;
    readonly dangerRestMs: number;
}

export interface WorkerSettings {
    readonly schedule: WorkerSchedule;
    readonly throttle: ThrottleSettings;
}

/**
 * The seed's thresholds (warning: GPU 85 °C / memory 80 %; danger: 90 °C / 90 %).
 * CPU is off (100 %: a level starts only past its limit): a worker keeps its
 * own CPU busy (parse, text embedding on the CPU), and pausing for that load
 * would only make it unload and reload its model in turns. A machine that
 * must stay responsive for its artist sets lower CPU limits.
 */
export const DEFAULT_THROTTLE: ThrottleSettings = {
    warning: { gpuTemperatureC: 85, gpuMemoryPercent: 80, cpuPercent: 100, memoryPercent: 80 },
    danger: { gpuTemperatureC: 90, gpuMemoryPercent: 90, cpuPercent: 100, memoryPercent: 90 },
    critical: { gpuTemperatureC: 95, gpuMemoryPercent: 97, cpuPercent: 100, memoryPercent: 95 },
    warningBatchScale: 0.5,
    warningPauseMs: 2000,
    dangerRestMs: 30_000
};

export const DEFAULT_WORKER_SETTINGS: WorkerSettings = {
    schedule: { idleUnloadMinutes: 10 },
    throttle: DEFAULT_THROTTLE
};

export const WORKER_SETTINGS_ENV = 'IMAGEPARSER_WORKER_SETTINGS';
