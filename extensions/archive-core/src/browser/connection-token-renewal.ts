import { inject, injectable } from '@theia/core/shared/inversify';
import { environment } from '@theia/core/lib/common';
import { FrontendApplicationContribution } from '@theia/core/lib/browser/frontend-application-contribution';
import { WebSocketConnectionSource } from '@theia/core/lib/browser/messaging/ws-connection-source';

/**
 * Lets an open page find its backend again after the backend restarts.
 *
 * Theia's backend makes a new connection token (the `theia-connection-token`
 * cookie) each time it starts and refuses every websocket handshake that
 * lacks it (403), but it hands the cookie out only with its HTTP answers, and
 * socket.io's retries never get one: a page left open over a restart stayed
 * "Offline" for good, with whatever notifications it showed. When a handshake
 * fails, this asks the backend for the page (a HEAD request, never answered
 * from the cache), whose answer carries the current cookie. socket.io's next
 * retry then connects; the new backend does not know this page, so Theia
 * reloads it (`reloadOnReconnect`), and it starts again on the archive as it
 * is now. While the backend is down the request fails, and the next failed
 * retry asks again. The desktop app has no such cookie.
 */
@injectable()
export class ConnectionTokenRenewal implements FrontendApplicationContribution {

    @inject(WebSocketConnectionSource)
    protected readonly connectionSource: WebSocketConnectionSource;

    protected renewing = false;

    initialize(): void {
        if (!environment.electron.is()) {
            this.connectionSource.socket.on('connect_error', this.renewToken);
        }
    }

    protected readonly renewToken = async (): Promise<void> => {
        if (this.renewing) {
            return;
        }
        this.renewing = true;
        try {
            await fetch(window.location.href, { method: 'HEAD', cache: 'no-store', credentials: 'same-origin' });
        } catch {
            // The backend is not back yet.
        } finally {
            this.renewing = false;
        }
    };
}
