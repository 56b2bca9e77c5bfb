import type { ThrottleLevel } from '../../common/fleet-protocol';
import type { ThrottleSettings, ThrottleThresholds } from '../../common/worker-settings';
import type { ResourceSample } from './worker-governor';

const METRICS: readonly (keyof ThrottleThresholds)[] = ['gpuTemperatureC', 'gpuMemoryPercent', 'cpuPercent', 'memoryPercent'];

/**
 * Whether any metric of the sample is past its limit in `thresholds`
 * (strictly above: a limit of 100 % is never passed); a metric without a
 * limit, or one the machine does not report (no GPU), never is.
 */
function passes(sample: ResourceSample, thresholds: ThrottleThresholds): boolean {
    return METRICS.some(metric => {
        const value = sample[metric];
        const limit = thresholds[metric];
        return typeof value === 'number' && Number.isFinite(value) && limit !== undefined && value > limit;
    });
}

/** The highest level one of whose limits a metric of the sample is past (`normal` when none). */
export function throttleLevelOf(sample: ResourceSample, settings: ThrottleSettings): ThrottleLevel {
    if (passes(sample, settings.critical)) {
        return 'critical';
    }
    if (passes(sample, settings.danger)) {
        return 'danger';
    }
    return passes(sample, settings.warning) ? 'warning' : 'normal';
}
