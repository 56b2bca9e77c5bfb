import type * as http from 'http';
import type * as https from 'https';
import type { AddressInfo } from 'net';
import { injectable } from '@theia/core/shared/inversify';
import { BackendApplicationContribution } from '@theia/core/lib/node/backend-application';

export const FleetServerAddress = Symbol('FleetServerAddress');

/** Where this process serves the worker API, for the worker it starts on its own machine. */
export interface FleetServerAddress {
    /** `http(s)://host:port` a worker on this machine reaches the API at; undefined before the server listens. */
    localUrl(): string | undefined;
}

/** The backend's address, read when it starts listening; a wildcard address is reached as the loopback one. */
@injectable()
export class BackendFleetServerAddress implements FleetServerAddress, BackendApplicationContribution {

    protected url: string | undefined;

    onStart(server: http.Server | https.Server): void {
        this.listening(server);
    }

    /** Records the address `server` listens on (also for a server `imageparser serve` starts itself). */
    listening(server: http.Server | https.Server): void {
        const address = server.address() as AddressInfo | string | null;
        if (!address || typeof address === 'string') {
            return;
        }
        const host = address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '[::1]' : address.family === 'IPv6' ? `[${address.address}]` : address.address;
        const scheme = 'cert' in server || (server as { key?: unknown }).key ? 'https' : 'http';
        this.url = `${scheme}://${host}:${address.port}`;
    }

    localUrl(): string | undefined {
        return this.url;
    }
}
