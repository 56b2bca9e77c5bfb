import { inject, injectable } from '@theia/core/shared/inversify';
import { ArchiveErrors } from '../../common/archive-protocol';
import { FileProblemPage, FileProblemQuery, FileProblemService, FileProblemSummary } from '../../common/file-problem-protocol';
import { ArchiveOpenError } from '../store/archive-open-error';
import { ArchiveStore } from '../store/archive-store';
import { SqliteFileProblemRepository } from '../store/file-problem-repository';
import { ArchiveIngester } from './archive-ingester';

/** Answers the frontend's questions about failed and missing files, and retries failed ones through the ingester. */
@injectable()
export class FileProblemServiceImpl implements FileProblemService {

    @inject(ArchiveStore)
    protected readonly store: ArchiveStore;

    @inject(ArchiveIngester)
    protected readonly ingester: ArchiveIngester;

    async summary(): Promise<FileProblemSummary> {
        return (await this.repository()).summary();
    }

    async list(query: FileProblemQuery): Promise<FileProblemPage> {
        return (await this.repository()).list(query ?? {});
    }

    async retryFailed(fileIds?: readonly number[]): Promise<number[]> {
        if (fileIds !== undefined && !Array.isArray(fileIds)) {
            throw new Error('retryFailed takes a list of file ids.');
        }
        await this.repository();
        return this.ingester.retryFailed(fileIds);
    }

    /** The repository over the open archive, turning an unusable archive file into the error the frontend can explain. */
    protected async repository(): Promise<SqliteFileProblemRepository> {
        try {
            return new SqliteFileProblemRepository((await this.store.open()).database);
        } catch (error) {
            if (error instanceof ArchiveOpenError) {
                throw ArchiveErrors.Unavailable({ reason: error.code, file: error.file, detail: error.detail });
            }
            throw error;
        }
    }
}
