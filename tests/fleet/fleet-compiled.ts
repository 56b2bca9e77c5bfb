import { createRequire } from 'module';
import * as path from 'path';

/**
 * archive-core's and the workers' compiled modules, loaded by Node itself
 * (`tsc -b` runs first, see tests/setup/compile-sources.ts). The workers
 * package reaches archive-core through its compiled `lib`; a test importing
 * those files through vitest would get second copies of their modules (other
 * `JobQueue` symbols, errors declared twice), so the fleet tests take every
 * runtime value from here and only types from the sources.
 */
const load = createRequire(__filename);
const root = path.resolve(__dirname, '../..');
const core = (file: string) => load(path.join(root, 'extensions/archive-core/lib/node', file));
const workers = (file: string) => load(path.join(root, 'extensions/workers/lib/node', file));

export const ingestModule = core('ingest/archive-ingester') as typeof import('../../extensions/archive-core/src/node/ingest/archive-ingester');
export const ingestBindings = core('ingest/ingest-bindings') as typeof import('../../extensions/archive-core/src/node/ingest/ingest-bindings');
export const aiImage = core('inference/ai-image') as typeof import('../../extensions/archive-core/src/node/inference/ai-image');
export const previewImageSource = core('inference/preview-image-source') as typeof import('../../extensions/archive-core/src/node/inference/preview-image-source');
export const textDocumentSource = core('inference/text/text-document-source') as typeof import('../../extensions/archive-core/src/node/inference/text/text-document-source');
export const pipelineModule = core('jobs/default-phase-pipeline') as typeof import('../../extensions/archive-core/src/node/jobs/default-phase-pipeline');
export const embeddedQueue = core('jobs/embedded-job-queue') as typeof import('../../extensions/archive-core/src/node/jobs/embedded-job-queue');
export const jobEngineChoice = core('jobs/job-engine-choice') as typeof import('../../extensions/archive-core/src/node/jobs/job-engine-choice');
export const jobQueue = core('jobs/job-queue') as typeof import('../../extensions/archive-core/src/node/jobs/job-queue');
export const phaseBindings = core('jobs/phase-bindings') as typeof import('../../extensions/archive-core/src/node/jobs/phase-bindings');
export const phaseContribution = core('jobs/phase-contribution') as typeof import('../../extensions/archive-core/src/node/jobs/phase-contribution');
export const assetMediaBindings = core('media/asset-media-bindings') as typeof import('../../extensions/archive-core/src/node/media/asset-media-bindings');
export const archiveStore = core('store/archive-store') as typeof import('../../extensions/archive-core/src/node/store/archive-store');
export const storeBindings = core('store/store-bindings') as typeof import('../../extensions/archive-core/src/node/store/store-bindings');
export const userBindings = core('user/user-bindings') as typeof import('../../extensions/archive-core/src/node/user/user-bindings');

export const fleetApiEndpoint = workers('server/fleet-api-endpoint') as typeof import('../../extensions/workers/src/node/server/fleet-api-endpoint');
export const fleetServerBindings = workers('server/fleet-server-bindings') as typeof import('../../extensions/workers/src/node/server/fleet-server-bindings');
export const fleetServerOptions = workers('server/fleet-server-options') as typeof import('../../extensions/workers/src/node/server/fleet-server-options');
export const workerRegistry = workers('server/worker-registry') as typeof import('../../extensions/workers/src/node/server/worker-registry');
export const workerTokenService = workers('server/worker-token-service') as typeof import('../../extensions/workers/src/node/server/worker-token-service');
export const fleetServiceImpl = workers('server/fleet-service-impl') as typeof import('../../extensions/workers/src/node/server/fleet-service-impl');
export const httpSafety = core('http/http-safety-contribution') as typeof import('../../extensions/archive-core/src/node/http/http-safety-contribution');
export const httpSafetyOptions = core('http/http-safety-options') as typeof import('../../extensions/archive-core/src/node/http/http-safety-options');
