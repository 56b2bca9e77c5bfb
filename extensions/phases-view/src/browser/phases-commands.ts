import { Command } from '@theia/core/lib/common/command';

/**
 * The Phases view's actions, in the command palette and for other
 * extensions. The phase controls take the phase id as their argument; from
 * the palette, without one, they ask which phase.
 */
export namespace PhasesCommands {
    export const SHOW = Command.toLocalizedCommand({ id: 'imageparser.phases.show', label: 'Show Phases', category: 'ImageParser' },
        'imageparser/phases-view/commands/show', 'imageparser/archive-core/category');
    export const PAUSE = Command.toLocalizedCommand({ id: 'imageparser.phases.pause', label: 'Pause Phase…', category: 'ImageParser' },
        'imageparser/phases-view/commands/pause', 'imageparser/archive-core/category');
    export const RESUME = Command.toLocalizedCommand({ id: 'imageparser.phases.resume', label: 'Resume Phase…', category: 'ImageParser' },
        'imageparser/phases-view/commands/resume', 'imageparser/archive-core/category');
    export const RETRY_FAILED = Command.toLocalizedCommand({ id: 'imageparser.phases.retryFailed', label: 'Retry Failed Jobs of Phase…', category: 'ImageParser' },
        'imageparser/phases-view/commands/retryFailed', 'imageparser/archive-core/category');
    export const RERUN_SELECTED = Command.toLocalizedCommand({ id: 'imageparser.phases.rerunSelected', label: 'Re-run Phase on Selected Results…', category: 'ImageParser' },
        'imageparser/phases-view/commands/rerunSelected', 'imageparser/archive-core/category');
}
