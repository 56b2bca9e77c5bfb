import type { IncomingMessage } from 'http';
import { inject, injectable } from '@theia/core/shared/inversify';
import type { RequestHandler } from '@theia/core/shared/express';
import { BackendApplicationContribution, EarlyExpressMiddleware } from '@theia/core/lib/node/backend-application';
import { WsRequestValidatorContribution } from '@theia/core/lib/node/ws-request-validators';
import { HttpSafetyOptions } from './http-safety-options';
import { isAllowedHost } from './host-header';
import { stateChangeRefusal } from './state-changing-request';
import { isTokenApiRequest } from './token-api-path';

/**
 * The backend's first line on every HTTP route, Theia's own included, and on
 * every websocket: a `Host` header this backend does not answer to (DNS
 * rebinding) is refused before anything else runs, so such a page does not
 * even get the connection cookie; a request that changes state must come
 * from the ImageParser page itself (see {@link stateChangeRefusal}); and
 * every response says `Cross-Origin-Resource-Policy: same-origin`, so pages
 * of other origins (another port of this machine included) cannot embed the
 * archive's images or tell which asset ids exist. The worker API
 * (`/api/v1/…`) is let through both checks: worker machines call it by the
 * server's network name with a worker token, which its routes require.
 */
@injectable()
export class HttpSafetyContribution implements BackendApplicationContribution, WsRequestValidatorContribution {

    @inject(EarlyExpressMiddleware)
    protected readonly earlyMiddleware: EarlyExpressMiddleware;

    @inject(HttpSafetyOptions)
    protected readonly options: HttpSafetyOptions;

    initialize(): void {
        // First of all early middleware, whatever order contributions initialize in: before Theia's cookie and static files.
        this.earlyMiddleware.handlers.unshift(this.guard);
    }

    allowWsUpgrade(request: IncomingMessage): boolean {
        return isAllowedHost(request, this.options.allowedHosts);
    }

    protected readonly guard: RequestHandler = (request, response, next) => {
        response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
        if (isTokenApiRequest(request.originalUrl ?? request.url)) {
            next();
            return;
        }
        if (!isAllowedHost(request, this.options.allowedHosts)) {
            response.status(403).type('text/plain').send(
                'This ImageParser backend does not answer to this host name. Open it as localhost or 127.0.0.1, '
                + 'or add the name to IMAGEPARSER_ALLOWED_HOSTS (or --allowed-hosts).');
            return;
        }
        const refusal = stateChangeRefusal(request);
        if (refusal) {
            response.status(403).type('text/plain').send(refusal);
            return;
        }
        next();
    };
}
