import * as path from 'path';
import { Container } from '@theia/core/shared/inversify';
import BetterSqlite3 = require('better-sqlite3');
import * as sqliteVec from 'sqlite-vec';
import { createArchiveTestContainer, disposeArchiveTestContainer } from '../../extensions/archive-core/src/node/test/archive-test-container';
import { ArchiveIngester } from '../../extensions/archive-core/src/node/ingest/archive-ingester';
import { DefaultPhasePipeline, PhasePipelineOptions } from '../../extensions/archive-core/src/node/jobs/default-phase-pipeline';
import { PhaseContribution } from '../../extensions/archive-core/src/node/jobs/phase-contribution';
import { JobQueue } from '../../extensions/archive-core/src/node/jobs/job-queue';

/** A backend's phase services over a real archive in `folder`, with the given phases contributed beside parse. */
export function phaseContainer(folder: string, phases: readonly PhaseContribution[], options: PhasePipelineOptions = {}): Container {
    const container = createArchiveTestContainer(folder, { threads: 1 });
    for (const phase of phases) {
        container.bind(PhaseContribution).toConstantValue(phase);
    }
    container.bind(PhasePipelineOptions).toConstantValue({ idleMs: 50, reapMs: 200, heartbeatMs: 100, ...options });
    return container;
}

export function pipelineOf(container: Container): DefaultPhasePipeline {
    return container.get(DefaultPhasePipeline);
}

export function queueOf(container: Container): JobQueue {
    return container.get<JobQueue>(JobQueue);
}

/** Indexes `folder` with the container's ingester and waits for the run to end. */
export async function ingest(container: Container, folder: string): Promise<void> {
    const ingester = container.get<ArchiveIngester>(ArchiveIngester);
    await ingester.finished(await ingester.start(folder));
}

export { disposeArchiveTestContainer };

/** Reads the archive through a connection of the test's own. */
export function readArchive<T>(folder: string, read: (db: BetterSqlite3.Database) => T): T {
    const db = new BetterSqlite3(path.join(folder, 'archive.sqlite'), { readonly: true, timeout: 5000 });
    sqliteVec.load(db);
    try {
        return read(db);
    } finally {
        db.close();
    }
}

export function rows<T>(folder: string, sql: string, ...params: unknown[]): T[] {
    return readArchive(folder, db => db.prepare(sql).all(...params) as T[]);
}

export function value<T>(folder: string, sql: string, ...params: unknown[]): T {
    return readArchive(folder, db => db.prepare(sql).pluck().get(...params) as T);
}
