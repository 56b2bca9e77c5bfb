import type { Migration } from './migration';
import { initialSchema } from './0001-initial-schema';
import { ingestSchema } from './0002-ingest';
import { fileSizeIndex } from './0003-file-size-index';
import { searchSchema } from './0004-search';
import { vectorQuantizers } from './0005-vector-quantizers';
import { annotationsSchema } from './0006-annotations';
import { fileVersionsSchema } from './0007-file-versions';
import { ingestWorkersSchema } from './0008-ingest-workers';
import { skippedEntriesSchema } from './0009-skipped-entries';
import { versionCarrySchema } from './0010-version-carry';
import { phaseJobsSchema } from './0011-phase-jobs';
import { phaseStatesSchema } from './0012-phase-states';
import { phaseControlsSchema } from './0013-phase-controls';
import { ocrTextSchema } from './0014-ocr-text';
import { filterableViewsSchema } from './0015-filterable-views';
import { aiResultsSchema } from './0016-ai-results';
import { aiTagJournalSchema } from './0017-ai-tag-journal';
import { captionWordsSchema } from './0018-caption-words';
import { workerTokensSchema } from './0019-worker-tokens';
import { jobOutboxSchema } from './0020-job-outbox';
import { workerLeasesSchema } from './0021-worker-leases';
import { collectionsSchema } from './0022-collections';

export type { Migration } from './migration';

/** Every archive migration, in version order. Append only. */
export const ARCHIVE_MIGRATIONS: readonly Migration[] = [
    initialSchema,
    ingestSchema,
    fileSizeIndex,
    searchSchema,
    vectorQuantizers,
    annotationsSchema,
    fileVersionsSchema,
    ingestWorkersSchema,
    skippedEntriesSchema,
    versionCarrySchema,
    phaseJobsSchema,
    phaseStatesSchema,
    phaseControlsSchema,
    ocrTextSchema,
    filterableViewsSchema,
    aiResultsSchema,
    aiTagJournalSchema,
    captionWordsSchema,
    workerTokensSchema,
    jobOutboxSchema,
    workerLeasesSchema,
    collectionsSchema
];
