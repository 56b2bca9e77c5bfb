import type { ThrottleLevel } from '../../common/fleet-protocol';
import type { ThrottleSettings, ThrottleThresholds } from '../../common/worker-settings';
import type { ResourceSample } from './worker-governor';

const METRICS: readonly (keyof ThrottleThresholds)[] = ['gpuTemperatureC', 'gpuMemoryPercent', 'cpuPercent', 'memoryPercent'];

/**
 * Whether any metric of the sample is past its limit in `thresholds` (strictly
 * above: a limit of 100 % is never passed, which is how a setting turns a
 * metric off); a metric the machine does not report never is.
 */
function passes(sample: ResourceSample, thresholds: ThrottleThresholds): boolean {
    return METRICS.some(metric => {
        const value = sample[metric];
        return typeof value === 'number' && Number.isFinite(value) && value > thresholds[metric];
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
