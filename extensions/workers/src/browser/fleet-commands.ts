import { Command } from '@theia/core/lib/common/command';

/**
 * The fleet's actions, in the command palette and for other extensions.
 * The worker commands take a worker's session id as their argument (the
 * panel's buttons and context menu pass it); from the palette, without one,
 * they ask which worker with a quick pick. The token and machine commands
 * likewise take a token id or a hostname.
 */
export namespace FleetCommands {
    export const SHOW = Command.toLocalizedCommand({ id: 'imageparser.fleet.show', label: 'Show Worker Fleet', category: 'ImageParser' },
        'imageparser/workers/commands/show', 'imageparser/archive-core/category');
    export const PAUSE_WORKER = Command.toLocalizedCommand({ id: 'imageparser.fleet.pauseWorker', label: 'Pause Worker…', category: 'ImageParser' },
        'imageparser/workers/commands/pauseWorker', 'imageparser/archive-core/category');
    export const RESUME_WORKER = Command.toLocalizedCommand({ id: 'imageparser.fleet.resumeWorker', label: 'Resume Worker…', category: 'ImageParser' },
        'imageparser/workers/commands/resumeWorker', 'imageparser/archive-core/category');
    export const STOP_WORKER = Command.toLocalizedCommand({ id: 'imageparser.fleet.stopWorker', label: 'Stop Worker…', category: 'ImageParser' },
        'imageparser/workers/commands/stopWorker', 'imageparser/archive-core/category');
    export const BLOCK_WORKER = Command.toLocalizedCommand({ id: 'imageparser.fleet.blockWorker', label: 'Block Worker Machine…', category: 'ImageParser' },
        'imageparser/workers/commands/blockWorker', 'imageparser/archive-core/category');
    export const CHANGE_ROLE = Command.toLocalizedCommand({ id: 'imageparser.fleet.changeRole', label: 'Change Worker Role…', category: 'ImageParser' },
        'imageparser/workers/commands/changeRole', 'imageparser/archive-core/category');
    export const UNBLOCK_MACHINE = Command.toLocalizedCommand({ id: 'imageparser.fleet.unblockMachine', label: 'Unblock Worker Machine…', category: 'ImageParser' },
        'imageparser/workers/commands/unblockMachine', 'imageparser/archive-core/category');
    export const ISSUE_TOKEN = Command.toLocalizedCommand({ id: 'imageparser.fleet.issueToken', label: 'Issue Worker Token…', category: 'ImageParser' },
        'imageparser/workers/commands/issueToken', 'imageparser/archive-core/category');
    export const REVOKE_TOKEN = Command.toLocalizedCommand({ id: 'imageparser.fleet.revokeToken', label: 'Revoke Worker Token…', category: 'ImageParser' },
        'imageparser/workers/commands/revokeToken', 'imageparser/archive-core/category');
    export const CONTRIBUTE = Command.toLocalizedCommand({ id: 'imageparser.fleet.contribute', label: 'Contribute This Machine as a Worker', category: 'ImageParser' },
        'imageparser/workers/commands/contribute', 'imageparser/archive-core/category');
    export const STOP_CONTRIBUTING = Command.toLocalizedCommand({ id: 'imageparser.fleet.stopContributing', label: 'Stop Contributing', category: 'ImageParser' },
        'imageparser/workers/commands/stopContributing', 'imageparser/archive-core/category');
}
