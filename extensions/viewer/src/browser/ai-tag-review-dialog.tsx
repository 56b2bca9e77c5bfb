import * as React from '@theia/core/shared/react';
import { nls } from '@theia/core/lib/common/nls';
import { ReactDialog } from '@theia/core/lib/browser/dialogs/react-dialog';
import type { AiTagSuggestion } from '@imageparser/archive-core/lib/common/ai-protocol';
import { plural } from '@imageparser/archive-core/lib/common/plural';
import { describeArchiveError } from '@imageparser/archive-core/lib/browser/archive-error-messages';
import type { AnnotationModel } from './annotation-model';
import { AiTagSuggestions } from './ai-tag-suggestions';

/**
 * The AI tag suggestions over the selected results, to accept or reject one
 * by one or all at once; the list follows each decision. Enter on a button
 * presses it (it does not close the dialog); Esc or Close closes it.
 */
export class AiTagReviewDialog extends ReactDialog<void> {

    protected suggestions: AiTagSuggestion[] = [];
    protected loaded = false;
    protected status: string | undefined;

    constructor(protected readonly annotations: AnnotationModel, protected readonly assetIds: readonly number[]) {
        super({
            title: plural(assetIds.length, nls.localize('imageparser/viewer/ai/reviewTitle/one', 'AI Tag Suggestions for {0} Image', assetIds.length),
                nls.localize('imageparser/viewer/ai/reviewTitle/other', 'AI Tag Suggestions for {0} Images', assetIds.length))
        });
        this.addClass('imageparser-ai-review');
        this.appendCloseButton(nls.localize('imageparser/viewer/close', 'Close'));
        this.load();
    }

    get value(): void {
        return undefined;
    }

    protected async load(): Promise<void> {
        try {
            this.suggestions = await this.annotations.aiTagSuggestions(this.assetIds);
        } catch (error) {
            this.status = describeArchiveError(error);
        }
        this.loaded = true;
        this.update();
    }

    protected async decide(accept: boolean, names: string[]): Promise<void> {
        try {
            const outcome = accept ? await this.annotations.acceptAiTags(this.assetIds, names) : await this.annotations.rejectAiTags(this.assetIds, names);
            const joined = names.join(', ');
            this.status = accept
                ? plural(outcome.changed, nls.localize('imageparser/viewer/ai/bulkAccepted/one', 'Accepted {1}: {0} tag added.', outcome.changed, joined),
                    nls.localize('imageparser/viewer/ai/bulkAccepted/other', 'Accepted {1}: {0} tags added.', outcome.changed, joined))
                : plural(outcome.changed, nls.localize('imageparser/viewer/ai/bulkRejected/one', 'Rejected {1}: {0} suggestion turned down.', outcome.changed, joined),
                    nls.localize('imageparser/viewer/ai/bulkRejected/other', 'Rejected {1}: {0} suggestions turned down.', outcome.changed, joined));
        } catch (error) {
            this.status = describeArchiveError(error);
            this.update();
            throw error;
        }
        await this.load();
    }

    protected override handleEnter(event: KeyboardEvent): boolean | void {
        if (event.target instanceof HTMLButtonElement && this.contentNode.contains(event.target)) {
            return false;
        }
        return super.handleEnter(event);
    }

    protected render(): React.ReactNode {
        return <div className='imageparser-ai-review-content'>
            {this.loaded
                ? <AiTagSuggestions suggestions={this.suggestions} imageCount={this.assetIds.length}
                    emptyText={nls.localize('imageparser/viewer/ai/noSuggestions', 'No AI tag suggestions are waiting for these images.')}
                    onAccept={names => this.decide(true, names)} onReject={names => this.decide(false, names)} />
                : <div>{nls.localize('imageparser/viewer/ai/loading', 'Loading the suggestions…')}</div>}
            {this.status && <div className='imageparser-viewer-status' role='status'>{this.status}</div>}
            <div className='imageparser-viewer-note'>{nls.localize('imageparser/viewer/ai/undoHint', 'Ctrl+Z in the viewer, or "Undo the Last Tag or Rating Change", takes a decision back.')}</div>
        </div>;
    }
}
