import { inject, injectable, postConstruct } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import {
    FileProblem, FileProblemPage, FileProblemService, FileProblemState, FileProblemSummary
} from '@imageparser/archive-core/lib/common/file-problem-protocol';
import { ArchiveChangeEvents } from '@imageparser/archive-core/lib/browser/archive-change-events';

/** How many problems a list shows; the header tells when there are more. */
const LIST_LIMIT = 1000;

/**
 * Files that failed to index or went missing, for the search view: how many
 * (the side bar's problem line) and the list of one state with reasons (the
 * results editor, when the State filter asks for them). Follows the archive:
 * refreshes whenever it changes, also when another process indexed.
 */
@injectable()
export class FileProblemsModel {

    @inject(FileProblemService)
    protected readonly service: FileProblemService;

    @inject(ArchiveChangeEvents)
    protected readonly changes: ArchiveChangeEvents;

    protected readonly onDidChangeEmitter = new Emitter<void>();
    readonly onDidChange: Event<void> = this.onDidChangeEmitter.event;

    summary: FileProblemSummary | undefined;
    /** The lists asked for so far, by state; kept current while the archive changes. */
    protected readonly pages = new Map<FileProblemState, FileProblemPage>();
    protected readonly loading = new Set<FileProblemState>();
    /** The problem whose details are open, by file id. */
    expanded: number | undefined;
    error: string | undefined;

    @postConstruct()
    protected init(): void {
        this.changes.onDidChange(() => this.refresh());
        this.refresh();
    }

    /** The list of files in `state`, loading it on first use (then `onDidChange` fires). */
    listOf(state: FileProblemState): FileProblemPage | undefined {
        if (!this.pages.has(state) && !this.loading.has(state)) {
            this.load(state);
        }
        return this.pages.get(state);
    }

    /** Asks the backend again for the counts and every list asked for so far. */
    async refresh(): Promise<void> {
        try {
            this.summary = await this.service.summary();
            await Promise.all([...this.pages.keys()].map(state => this.load(state)));
            this.error = undefined;
        } catch (error) {
            this.error = error instanceof Error ? error.message : String(error);
        }
        this.onDidChangeEmitter.fire();
    }

    toggleDetails(problem: FileProblem): void {
        this.expanded = this.expanded === problem.fileId ? undefined : problem.fileId;
        this.onDidChangeEmitter.fire();
    }

    protected async load(state: FileProblemState): Promise<void> {
        this.loading.add(state);
        try {
            this.pages.set(state, await this.service.list({ states: [state], limit: LIST_LIMIT }));
        } catch (error) {
            this.error = error instanceof Error ? error.message : String(error);
        } finally {
            this.loading.delete(state);
        }
        this.onDidChangeEmitter.fire();
    }
}
