import type { ThrottleLevel } from '../../common/fleet-protocol';
import type { ThrottleSettings, ThrottleThresholds } from '../../common/worker-settings';
import type { ResourceSample } from './worker-governor';

const METRICS: readonly (keyof ThrottleThresholds)[] = ['gpuTemperatureC', 'gpuMemoryPercent', 'cpuPercent', 'memoryPercent'];

/** Whether any metric the sample has reached its limit in `thresholds`; a metric without a limit, or one the machine does not report, never does. */
function reaches(sample: ResourceSample, thresholds: ThrottleThresholds): boolean {
    return METRICS.some(metric => {
        const value = sample[metric];
        const limit = thresholds[metric];
        return typeof value === 'number' && Number.isFinite(value) && limit !== undefined && value >= limit;
    });
}

/** The highest level whose limits one of the sample's metrics reached (`normal` when none). */
export function throttleLevelOf(sample: ResourceSample, settings: ThrottleSettings): ThrottleLevel {
    if (reaches(sample, settings.critical)) {
        return 'critical';
    }
    if (reaches(sample, settings.danger)) {
        return 'danger';
    }
    return reaches(sample, settings.warning) ? 'warning' : 'normal';
}
