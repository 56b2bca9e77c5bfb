import type { PhaseId } from '../../common/job-protocol';

/**
 * Which phases this process's own pipeline works (the others are left to
 * worker machines): `all` (the default), `none`, or a comma-separated list
 * of phase ids. The sweep and the reaper run whatever it says.
 */
export const LOCAL_PHASES_ENV = 'IMAGEPARSER_LOCAL_PHASES';

/** Whether the pipeline of this process works `phase`, as `setting` (the variable's value) says. */
export function runsLocally(phase: PhaseId, setting: string | undefined = process.env[LOCAL_PHASES_ENV]): boolean {
    const value = (setting ?? '').trim().toLowerCase();
    if (value === '' || value === 'all') {
        return true;
    }
    if (value === 'none') {
        return false;
    }
    return value.split(',').map(each => each.trim()).includes(phase.toLowerCase());
}
