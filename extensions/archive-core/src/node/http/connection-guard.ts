import type { RequestHandler } from '@theia/core/shared/express';
import type { HttpConnectionValidator } from '@theia/core/lib/node';

/** Express middleware that lets through only requests carrying the page's connection token, as Theia's own file endpoints do. */
export function connectionGuard(validator: HttpConnectionValidator): RequestHandler {
    return (request, response, next) => validator.validateRequest(request, response, next);
}
