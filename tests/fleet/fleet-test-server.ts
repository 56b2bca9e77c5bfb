import * as http from 'http';
import type { AddressInfo } from 'net';
import express from '@theia/core/shared/express';
import { Container } from '@theia/core/shared/inversify';
import { ILogger } from '@theia/core/lib/common/logger';
import { MockLogger } from '@theia/core/lib/common/test/mock-logger';
import { bindRootContributionProvider } from '@theia/core/lib/common/contribution-provider';
import { ConnectionContainerModule } from '@theia/core/lib/node/messaging/connection-container-module';
import type { JobQueue } from '../../extensions/archive-core/src/node/jobs/job-queue';
import type { FleetClock } from '../../extensions/workers/src/node/server/fleet-server-options';
import type { WorkerRegistry } from '../../extensions/workers/src/node/server/worker-registry';
import type { WorkerTokenService } from '../../extensions/workers/src/node/server/worker-token-service';
import {
    aiImage, archiveStore, assetMediaBindings, embeddedQueue, jobEngineChoice, fleetApiEndpoint, fleetServerBindings, fleetServerOptions, ingestBindings, ingestModule,
    jobQueue, phaseBindings, phaseContribution, pipelineModule, previewImageSource, storeBindings, textDocumentSource, userBindings, workerRegistry, workerTokenService
} from './fleet-compiled';
import type { RecordingPhase } from '../phases/recording-phase';

/** The server's clock, moved by the test (liveness is judged on it alone). */
export class TestFleetClock implements FleetClock {
    offsetMs = 0;
    now(): number {
        return Date.now() + this.offsetMs;
    }
    advance(ms: number): void {
        this.offsetMs += ms;
    }
}

export interface FleetServerSettings {
    /** The job lease of the queue (ms). */
    readonly leaseMs?: number;
    readonly heartbeatMs?: number;
    /** Runs the BullMQ engine on this Redis server instead of the embedded one. */
    readonly redisUrl?: string;
}

/** A fleet server over a real archive and a real HTTP port, in this process. */
export interface FleetTestServer {
    readonly container: Container;
    readonly base: string;
    readonly clock: TestFleetClock;
    readonly queue: JobQueue;
    readonly registry: WorkerRegistry;
    issueToken(label: string): Promise<string>;
    /** Indexes a folder into the archive (the parse phase then queues the recording phases' jobs). */
    ingest(folder: string): Promise<void>;
    close(): Promise<void>;
}

/**
 * The container an app's backend (or `imageparser serve`) has for the fleet:
 * archive-core's store, ingester, asset media, preview image source and
 * phases over an archive in `folder`, the given phases contributed, and the
 * fleet server; its endpoint on an express app on 127.0.0.1. The pipeline's
 * own workers are not started: the test's workers do the phases.
 */
export async function startFleetTestServer(folder: string, phases: readonly RecordingPhase[], settings: FleetServerSettings = {}): Promise<FleetTestServer> {
    const container = new Container();
    const bind = container.bind.bind(container);
    container.bind(ILogger).to(MockLogger).inSingletonScope();
    bindRootContributionProvider(bind, ConnectionContainerModule);
    userBindings.bindCurrentUser(bind);
    storeBindings.bindArchiveStore(bind, { location: { folder, source: 'environment' } });
    ingestBindings.bindIngest(bind, { parsePool: { threads: 1 } });
    assetMediaBindings.bindAssetMedia(bind);
    phaseBindings.bindPhasePipeline(bind);
    container.bind(previewImageSource.PreviewImageSource).toSelf().inSingletonScope();
    container.bind(aiImage.AiImageSource).toService(previewImageSource.PreviewImageSource);
    container.bind(textDocumentSource.StoreTextDocumentSource).toSelf().inSingletonScope();
    container.bind(textDocumentSource.TextDocumentSource).toService(textDocumentSource.StoreTextDocumentSource);
    for (const phase of phases) {
        container.bind(phaseContribution.PhaseContribution).toConstantValue(phase);
    }
    const leaseMs = settings.leaseMs ?? 30_000;
    container.bind(embeddedQueue.EmbeddedJobQueueOptions).toConstantValue({ leaseMs, maxAttempts: 5, backoffBaseMs: 50, backoffMaxMs: 100 });
    if (settings.redisUrl) {
        container.rebind(jobEngineChoice.JobEngineChoice).toConstantValue({ engine: 'bullmq', redisUrl: settings.redisUrl });
    }
    container.bind(pipelineModule.PhasePipelineOptions).toConstantValue({ idleMs: 50, reapMs: 200, heartbeatMs: 100 });
    fleetServerBindings.bindFleetServer(bind);
    const clock = new TestFleetClock();
    container.bind(fleetServerOptions.FleetClock).toConstantValue(clock);
    container.bind(fleetServerOptions.FleetServerOptions).toConstantValue({ leaseMs, heartbeatMs: settings.heartbeatMs ?? 1000 });

    const app = express();
    container.get(fleetApiEndpoint.FleetApiEndpoint).configure(app);
    const server = http.createServer(app);
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const registry = container.get<WorkerRegistry>(workerRegistry.WorkerRegistry);
    return {
        container, base, clock, registry,
        queue: container.get<JobQueue>(jobQueue.JobQueue),
        issueToken: async label => (await container.get<WorkerTokenService>(workerTokenService.WorkerTokenService).issue(label)).secret,
        ingest: async source => {
            const ingester = container.get(ingestModule.ArchiveIngester) as import('../../extensions/archive-core/src/node/ingest/archive-ingester').ArchiveIngester;
            await ingester.finished(await ingester.start(source));
            await container.get(pipelineModule.DefaultPhasePipeline).sweep();
        },
        close: async () => {
            await new Promise<void>(resolve => {
                server.close(() => resolve());
                server.closeAllConnections();
            });
            registry.dispose();
            await container.get(pipelineModule.DefaultPhasePipeline).stop();
            await (container.get<JobQueue>(jobQueue.JobQueue) as JobQueue & { close?(): Promise<void> }).close?.();
            await container.get(ingestModule.DefaultArchiveIngester).onStop();
            container.get<import('../../extensions/archive-core/src/node/store/archive-store').ArchiveStore>(archiveStore.ArchiveStore).close();
        }
    };
}
