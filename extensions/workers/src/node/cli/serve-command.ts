/**
 * `imageparser serve [--archive <folder>] [--port <n>] [--host <address>]`:
 * a headless server over an archive for worker machines, without the app:
 * the worker API, the sweep and the reaper of the phases' queue, and the
 * phases this process works itself (`IMAGEPARSER_LOCAL_PHASES`: `all` by
 * default, `none`, or a list). Prints `imageparser: serving <archive> at
 * http://host:port` when it listens; SIGTERM or Ctrl+C closes it cleanly
 * (held jobs given back, the archive closed).
 */
import 'reflect-metadata';
import * as http from 'http';
import type { AddressInfo } from 'net';
import express from '@theia/core/shared/express';
import { printable } from '@imageparser/archive-core/lib/common/printable-text';
import { cliArchiveLocation } from '@imageparser/archive-core/lib/node/cli/cli-archive-location';
import { closeCliContainer, createCliContainer } from '@imageparser/archive-core/lib/node/cli/cli-container';
import { AiModels } from '@imageparser/archive-core/lib/node/inference/ai-models';
import { DefaultPhasePipeline } from '@imageparser/archive-core/lib/node/jobs/default-phase-pipeline';
import { JobQueue } from '@imageparser/archive-core/lib/node/jobs/job-queue';
import { AssetMediaService } from '@imageparser/archive-core/lib/node/media/asset-media-service';
import { bindAssetMedia } from '@imageparser/archive-core/lib/node/media/asset-media-bindings';
import { ArchiveStore } from '@imageparser/archive-core/lib/node/store/archive-store';
import { FleetApiEndpoint, keepWorkerConnections } from '../server/fleet-api-endpoint';
import { bindFleetServer } from '../server/fleet-server-bindings';
import { WorkerRegistry } from '../server/worker-registry';
import { CliUsageError, parseCliArguments, stringOption } from './cli-options';

/** The port `serve` listens on by default. */
export const DEFAULT_SERVE_PORT = 8740;
/** How often `serve` queues again what the store says is missing (ms; 60 s by default): a queue that lost jobs (Redis restarted empty) gets them back. */
export const SWEEP_INTERVAL_ENV = 'IMAGEPARSER_SWEEP_MS';

const USAGE = `usage: imageparser serve [--archive <folder>] [--port <n>] [--host <address>]
  --port <n>          the port to listen on (default ${DEFAULT_SERVE_PORT}; 0 picks a free one)
  --host <address>    the address to listen on (default 127.0.0.1; 0.0.0.0 for worker machines on the network)
  IMAGEPARSER_LOCAL_PHASES  the phases this server works itself: all (default), none, or a comma list
  ${SWEEP_INTERVAL_ENV}      how often what the archive is missing is queued again (default 60000 ms)`;

export async function run(args: readonly string[]): Promise<number> {
    let archive: string | undefined;
    let port = DEFAULT_SERVE_PORT;
    let host = '127.0.0.1';
    try {
        const parsed = parseCliArguments(args, ['archive', 'port', 'host', 'help']);
        if ('error' in parsed) {
            throw new CliUsageError(parsed.error);
        }
        if (parsed.options.has('help')) {
            process.stdout.write(`${USAGE}\n`);
            return 0;
        }
        if (parsed.positional.length) {
            throw new CliUsageError(`serve takes no argument ${printable(parsed.positional[0])}`);
        }
        archive = stringOption(parsed, 'archive');
        host = stringOption(parsed, 'host') ?? host;
        const portText = stringOption(parsed, 'port');
        if (portText !== undefined) {
            port = Number(portText);
            if (!/^\d+$/.test(portText) || port > 65535) {
                throw new CliUsageError(`--port needs a port number from 0 to 65535, not ${printable(portText)}`);
            }
        }
    } catch (error) {
        if (error instanceof CliUsageError) {
            process.stderr.write(`imageparser: ${error.message}\n${USAGE}\n`);
            return 2;
        }
        throw error;
    }

    const location = cliArchiveLocation(archive);
    const container = createCliContainer(location);
    if (!container.isBound(AssetMediaService)) {
        bindAssetMedia(container.bind.bind(container));
    }
    bindFleetServer(container.bind.bind(container));
    const store = container.get<ArchiveStore>(ArchiveStore);
    const pipeline = container.get(DefaultPhasePipeline);
    const registry = container.get<WorkerRegistry>(WorkerRegistry);
    try {
        await store.open();
    } catch (error) {
        process.stderr.write(`imageparser: the archive ${printable(location.folder)} cannot be opened: ${messageOf(error)}\n`);
        await closeCliContainer(container).catch(() => undefined);
        return 1;
    }

    const app = express();
    container.get(FleetApiEndpoint).configure(app);
    const server = http.createServer(app);
    keepWorkerConnections(server);
    try {
        await new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(port, host, () => {
                server.off('error', reject);
                resolve();
            });
        });
    } catch (error) {
        process.stderr.write(`imageparser: cannot listen on ${printable(host)}:${port}: ${messageOf(error)}\n`);
        await closeCliContainer(container).catch(() => undefined);
        return 1;
    }
    // The sweep queues the AI phases that are on, and they are on once their models' settings are checked: check them first.
    await container.get<AiModels>(AiModels).refresh();
    pipeline.start();
    const sweepMs = Number(process.env[SWEEP_INTERVAL_ENV]) > 0 ? Number(process.env[SWEEP_INTERVAL_ENV]) : 60_000;
    const sweeper = setInterval(() => pipeline.sweep().catch(error => warn(`Queueing what the archive is missing failed: ${messageOf(error)}`)), sweepMs);
    // One request or job gone wrong is logged; it never ends the server.
    process.on('unhandledRejection', error => warn(`An unexpected error was not handled: ${messageOf(error)}`));
    const address = server.address() as AddressInfo;
    const shown = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    process.stdout.write(`imageparser: serving ${printable(location.folder)} at http://${shown}:${address.port}\n`);

    const signal = await new Promise<NodeJS.Signals>(resolve => {
        process.once('SIGTERM', () => resolve('SIGTERM'));
        process.once('SIGINT', () => resolve('SIGINT'));
    });
    process.stderr.write(`imageparser: ${signal}: closing the server\n`);
    clearInterval(sweeper);
    await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
    });
    registry.dispose();
    await pipeline.stop();
    // The Redis engine's connections (the embedded engine has none to close).
    await (container.get<JobQueue>(JobQueue) as JobQueue & { close?(): Promise<void> }).close?.();
    await closeCliContainer(container);
    return 0;
}

function warn(message: string): void {
    process.stderr.write(`imageparser: ${printable(message)}\n`);
}

function messageOf(error: unknown): string {
    return error instanceof Error ? error.message : String(error);
}
