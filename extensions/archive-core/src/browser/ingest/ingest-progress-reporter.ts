import { inject, injectable } from '@theia/core/shared/inversify';
import { MessageService } from '@theia/core/lib/common/message-service';
import { Progress } from '@theia/core/lib/common/message-service-protocol';
import { nls } from '@theia/core/lib/common/nls';
import { IngestClient, IngestProgress, IngestService } from '../../common/ingest-protocol';
import { CommandRegistry } from '@theia/core/lib/common/command';
import { plural } from '../../common/plural';
import { printable } from '../../common/printable-text';
import { formatDuration } from '../../common/duration-text';
import { ArchiveStatusModel } from '../archive-status-model';
import { displayLocale } from '../display-date';
import { FileProblemCommands } from './file-problem-commands';

/**
 * Shows every ingest run as a cancelable progress notification (n/total, rate,
 * time left, current file), tells how it ended (with what still fails or went
 * missing in the folder, and a link to those files), and keeps the archive
 * status fresh while assets arrive.
 */
@injectable()
export class IngestProgressReporter implements IngestClient {

    @inject(MessageService)
    protected readonly messages: MessageService;

    @inject(ArchiveStatusModel)
    protected readonly status: ArchiveStatusModel;

    @inject(CommandRegistry)
    protected readonly commands: CommandRegistry;

    /** Set by the frontend module once the proxy exists (the proxy needs this client first). */
    ingestService: IngestService | undefined;

    protected readonly shown = new Map<number, Promise<Progress>>();
    /** Runs whose end was already told: a run's last event can arrive more than once (one per backend subscription). */
    protected readonly ended = new Set<number>();
    protected lastStatusRefresh = 0;

    onIngestProgress(progress: IngestProgress): void {
        if (progress.state === 'done' || progress.state === 'cancelled') {
            if (!this.ended.has(progress.runId)) {
                this.ended.add(progress.runId);
                this.finish(progress);
            }
            return;
        }
        if (this.ended.has(progress.runId)) {
            return;
        }
        let shown = this.shown.get(progress.runId);
        if (!shown) {
            shown = this.messages.showProgress({
                text: nls.localize('imageparser/archive-core/ingest/title', 'Indexing {0}', printable(progress.rootLabel)),
                options: { cancelable: true }
            }, () => this.ingestService?.cancel(progress.runId));
            this.shown.set(progress.runId, shown);
        }
        shown.then(notification => notification.report({
            message: this.describe(progress),
            work: progress.total > 0 ? { done: progress.indexed + progress.failed, total: progress.total } : undefined
        }));
        if (Date.now() - this.lastStatusRefresh > 2000) {
            this.lastStatusRefresh = Date.now();
            this.status.refresh();
        }
    }

    protected describe(progress: IngestProgress): string {
        if (progress.state === 'discovering') {
            return nls.localize('imageparser/archive-core/ingest/discovering', 'Looking for images…');
        }
        const eta = progress.etaSeconds === undefined ? '–' : formatDuration(progress.etaSeconds, displayLocale());
        return nls.localize('imageparser/archive-core/ingest/progress', '{0} of {1} · {2} files/s · {3} left · {4}',
            progress.indexed + progress.failed, progress.total, progress.rate.toLocaleString(displayLocale(), { minimumFractionDigits: 1, maximumFractionDigits: 1 }), eta, printable(progress.currentFile?.relativePath ?? ''));
    }

    protected finish(progress: IngestProgress): void {
        this.shown.get(progress.runId)?.then(notification => notification.cancel());
        this.shown.delete(progress.runId);
        this.status.refresh();
        const root = printable(progress.rootLabel);
        const sentences = [progress.state !== 'cancelled'
            ? nls.localize('imageparser/archive-core/ingest/done', 'Indexed {0}: {1} indexed, {2} failed.', root, progress.indexed, progress.failed)
            : progress.othersContinue
                ? nls.localize('imageparser/archive-core/ingest/cancelledHere', 'Indexing of {0} stopped here: {1} indexed, {2} failed. Another process goes on indexing this folder.',
                    root, progress.indexed, progress.failed)
                : nls.localize('imageparser/archive-core/ingest/cancelled', 'Indexing of {0} cancelled: {1} indexed, {2} failed. What is done is kept.',
                    root, progress.indexed, progress.failed)];
        if (progress.skipped) {
            sentences.push(nls.localize('imageparser/archive-core/ingest/skipped',
                'Skipped, as only regular files are indexed: symbolic links: {0}, FIFOs, sockets and devices: {1}.', progress.skipped.links, progress.skipped.special));
        }
        const failedBefore = progress.failedInFolder - progress.failed;
        if (failedBefore > 0) {
            sentences.push(plural(failedBefore,
                nls.localize('imageparser/archive-core/ingest/stillFailing/one', '{0} file that failed before still fails.', failedBefore),
                nls.localize('imageparser/archive-core/ingest/stillFailing/other', '{0} files that failed before still fail.', failedBefore)));
        }
        if (progress.missingInFolder > 0) {
            sentences.push(plural(progress.missingInFolder,
                nls.localize('imageparser/archive-core/ingest/missing/one', '{0} file is missing from the folder.', progress.missingInFolder),
                nls.localize('imageparser/archive-core/ingest/missing/other', '{0} files are missing from the folder.', progress.missingInFolder)));
        }
        const summary = sentences.join(' ');
        const actions: string[] = [];
        const showFailures = nls.localize('imageparser/archive-core/ingest/showFailures', 'Show Failures');
        const showMissing = nls.localize('imageparser/archive-core/ingest/showMissing', 'Show Missing');
        if (progress.failedInFolder > 0 && this.commands.getCommand(FileProblemCommands.SHOW_FAILURES.id)) {
            actions.push(showFailures);
        }
        if (progress.missingInFolder > 0 && this.commands.getCommand(FileProblemCommands.SHOW_MISSING.id)) {
            actions.push(showMissing);
        }
        const shown = progress.failedInFolder > 0 || progress.missingInFolder > 0 ? this.messages.warn(summary, ...actions) : this.messages.info(summary);
        shown.then(action => {
            if (action === showFailures) {
                this.commands.executeCommand(FileProblemCommands.SHOW_FAILURES.id);
            } else if (action === showMissing) {
                this.commands.executeCommand(FileProblemCommands.SHOW_MISSING.id);
            }
        });
    }
}
