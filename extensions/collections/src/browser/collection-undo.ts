import { inject, injectable, named } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { MessageService } from '@theia/core/lib/common/message-service';
import { nls } from '@theia/core/lib/common/nls';

interface UndoEntry {
    readonly message: string;
    readonly run: () => Promise<void>;
}

/** How many collection changes can be undone, newest first. */
const MAX_UNDO = 20;

/**
 * The collection changes a user may regret (a collection deleted, members
 * removed): each is announced with an Undo button, and the Undo command
 * takes back the newest one not yet undone.
 */
@injectable()
export class CollectionUndo {

    @inject(MessageService)
    protected readonly messages: MessageService;

    @inject(ILogger) @named('collections:CollectionUndo')
    protected readonly logger: ILogger;

    protected readonly entries: UndoEntry[] = [];

    get canUndo(): boolean {
        return this.entries.length > 0;
    }

    /** Keeps an undo and announces the change with an Undo button (not awaited: the notice stays until closed). */
    push(message: string, run: () => Promise<void>): void {
        const entry = { message, run };
        this.entries.push(entry);
        this.entries.splice(0, Math.max(0, this.entries.length - MAX_UNDO));
        const undoLabel = nls.localize('imageparser/collections/undo', 'Undo');
        this.messages.info(message, undoLabel).then(action => {
            if (action === undoLabel) {
                this.undoEntry(entry);
            }
        });
    }

    /** Undoes the newest change not yet undone; answers false when there is none. */
    async undoLast(): Promise<boolean> {
        const entry = this.entries[this.entries.length - 1];
        return entry ? this.undoEntry(entry) : false;
    }

    protected async undoEntry(entry: UndoEntry): Promise<boolean> {
        const index = this.entries.indexOf(entry);
        if (index < 0) {
            return false;
        }
        this.entries.splice(index, 1);
        try {
            await entry.run();
            return true;
        } catch (error) {
            this.logger.warn(`Undo failed: ${error instanceof Error ? error.message : error}`);
            this.messages.error(nls.localize('imageparser/collections/undoFailed', 'Could not undo: {0}', error instanceof Error ? error.message : String(error)));
            return false;
        }
    }
}
