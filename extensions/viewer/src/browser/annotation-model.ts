import { inject, injectable } from '@theia/core/shared/inversify';
import { Emitter, Event } from '@theia/core/lib/common/event';
import { AnnotationService, AssetComment, EditOutcome, EditRecord } from '@imageparser/archive-core/lib/common/annotation-protocol';
import type { AiTagSuggestion } from '@imageparser/archive-core/lib/common/ai-protocol';

/** What changed, for views showing those assets. */
export interface AnnotationChange {
    readonly assetIds: readonly number[];
}

/**
 * The frontend's single door to tag, rating and comment edits and to
 * decisions on AI tag suggestions: every view
 * (viewer panels, bulk edits from the results) goes through it, and it tells
 * them all what changed, undo included.
 */
@injectable()
export class AnnotationModel {

    @inject(AnnotationService)
    protected readonly service: AnnotationService;

    protected readonly onDidChangeEmitter = new Emitter<AnnotationChange>();
    readonly onDidChange: Event<AnnotationChange> = this.onDidChangeEmitter.event;

    async addTags(assetIds: readonly number[], tags: readonly string[]): Promise<EditOutcome> {
        return this.changed(assetIds, await this.service.addTags(assetIds, tags));
    }

    async removeTags(assetIds: readonly number[], tags: readonly string[]): Promise<EditOutcome> {
        return this.changed(assetIds, await this.service.removeTags(assetIds, tags));
    }

    async setRating(assetIds: readonly number[], rating: number): Promise<EditOutcome> {
        return this.changed(assetIds, await this.service.setRating(assetIds, rating));
    }

    /** The AI tags pending over these assets, most confident first. */
    aiTagSuggestions(assetIds: readonly number[]): Promise<AiTagSuggestion[]> {
        return this.service.aiTagSuggestions(assetIds);
    }

    /** Makes these AI tag suggestions user tags on the assets they were suggested for (undo takes it back). */
    async acceptAiTags(assetIds: readonly number[], names: readonly string[]): Promise<EditOutcome> {
        return this.changed(assetIds, await this.service.acceptAiTags(assetIds, names));
    }

    /** Turns these AI tag suggestions down for good on these assets (undo takes it back). */
    async rejectAiTags(assetIds: readonly number[], names: readonly string[]): Promise<EditOutcome> {
        return this.changed(assetIds, await this.service.rejectAiTags(assetIds, names));
    }

    async undo(): Promise<EditRecord | undefined> {
        const record = await this.service.undo();
        if (record) {
            this.onDidChangeEmitter.fire({ assetIds: record.assetIds });
        }
        return record;
    }

    suggestTags(text: string, limit = 8): Promise<string[]> {
        return this.service.suggestTags(text, limit);
    }

    comments(assetId: number): Promise<AssetComment[]> {
        return this.service.comments(assetId);
    }

    async addComment(assetId: number, body: string): Promise<AssetComment> {
        const comment = await this.service.addComment(assetId, body);
        this.onDidChangeEmitter.fire({ assetIds: [assetId] });
        return comment;
    }

    async editComment(comment: AssetComment, body: string): Promise<AssetComment> {
        const edited = await this.service.editComment(comment.id, body);
        this.onDidChangeEmitter.fire({ assetIds: [comment.assetId] });
        return edited;
    }

    async deleteComment(comment: AssetComment): Promise<void> {
        await this.service.deleteComment(comment.id);
        this.onDidChangeEmitter.fire({ assetIds: [comment.assetId] });
    }

    protected changed(assetIds: readonly number[], outcome: EditOutcome): EditOutcome {
        this.onDidChangeEmitter.fire({ assetIds });
        return outcome;
    }
}
