import { inject, injectable } from '@theia/core/shared/inversify';
import type { AiTagSuggestion } from '../common/ai-protocol';
import type { AnnotationService, AssetComment, EditOutcome, EditRecord } from '../common/annotation-protocol';
import { AiTagRepository } from './store/ai-tag-repository';
import { CommentRepository } from './store/comment-repository';
import { EditJournal } from './store/edit-journal';
import { RatingRepository } from './store/rating-repository';
import { TagRepository } from './store/tag-repository';
import { CurrentUser } from './user/current-user';

/** Edits arrive in bulk from the results grid; more than this many assets in one call is refused. */
const MAX_ASSETS_PER_EDIT = 100_000;

/**
 * The annotation RPC service of one frontend connection: thin, over the
 * process-wide tag, rating, comment and journal repositories, editing as the
 * connection's {@link CurrentUser} (whose edits its undo takes back).
 */
@injectable()
export class AnnotationServiceImpl implements AnnotationService {

    @inject(TagRepository) protected readonly tags: TagRepository;
    @inject(AiTagRepository) protected readonly aiTags: AiTagRepository;
    @inject(RatingRepository) protected readonly ratings: RatingRepository;
    @inject(CommentRepository) protected readonly commentStore: CommentRepository;
    @inject(EditJournal) protected readonly journal: EditJournal;
    @inject(CurrentUser) protected readonly user: CurrentUser;

    async addTags(assetIds: readonly number[], tags: readonly string[]): Promise<EditOutcome> {
        return this.tags.addTags(checkIds(assetIds), tags, { author: this.user.name });
    }

    async removeTags(assetIds: readonly number[], tags: readonly string[]): Promise<EditOutcome> {
        return this.tags.removeTags(checkIds(assetIds), tags, { author: this.user.name });
    }

    async setRating(assetIds: readonly number[], rating: number): Promise<EditOutcome> {
        return this.ratings.setRating(checkIds(assetIds), rating, this.user.name);
    }

    async undo(): Promise<EditRecord | undefined> {
        return this.journal.undo(this.user.name);
    }

    async lastEdit(): Promise<EditRecord | undefined> {
        return this.journal.last(this.user.name);
    }

    async aiTagSuggestions(assetIds: readonly number[]): Promise<AiTagSuggestion[]> {
        return this.aiTags.suggestions(checkIds(assetIds));
    }

    async acceptAiTags(assetIds: readonly number[], names: readonly string[]): Promise<EditOutcome> {
        return this.aiTags.accept(checkIds(assetIds), checkNames(names), this.user.name);
    }

    async rejectAiTags(assetIds: readonly number[], names: readonly string[]): Promise<EditOutcome> {
        return this.aiTags.reject(checkIds(assetIds), checkNames(names), this.user.name);
    }

    async suggestTags(text: string, limit = 10): Promise<string[]> {
        return this.tags.suggest(text, limit);
    }

    async tagsOf(assetId: number): Promise<string[]> {
        return this.tags.tagsOf(assetId);
    }

    async comments(assetId: number): Promise<AssetComment[]> {
        return this.commentStore.list(assetId);
    }

    async addComment(assetId: number, body: string): Promise<AssetComment> {
        return this.commentStore.add(assetId, body, this.user.name);
    }

    async editComment(commentId: number, body: string): Promise<AssetComment> {
        return this.commentStore.edit(commentId, body, this.user.name);
    }

    async deleteComment(commentId: number): Promise<void> {
        return this.commentStore.remove(commentId);
    }
}

function checkIds(assetIds: readonly number[]): readonly number[] {
    if (!Array.isArray(assetIds) || assetIds.some(id => !Number.isSafeInteger(id) || id <= 0)) {
        throw new Error('Asset ids must be positive whole numbers.');
    }
    if (assetIds.length > MAX_ASSETS_PER_EDIT) {
        throw new Error(`One edit can change at most ${MAX_ASSETS_PER_EDIT.toLocaleString('en-US')} assets.`);
    }
    return assetIds;
}

function checkNames(names: readonly string[]): readonly string[] {
    if (!Array.isArray(names) || names.some(name => typeof name !== 'string')) {
        throw new Error('Tag names must be strings.');
    }
    return names;
}
