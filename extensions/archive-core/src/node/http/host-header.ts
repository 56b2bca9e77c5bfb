import type { IncomingMessage } from 'http';
import type { TLSSocket } from 'tls';

/** The names the backend always answers to, on the port the connection arrived at. */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]']);

interface HostName {
    /** Lower case; IPv6 addresses in brackets. */
    readonly hostname: string;
    /** The port, with the scheme's default filled in; undefined when the text named none and no default applies. */
    readonly port: number | undefined;
}

/**
 * Whether the request's `Host` header names this backend: `localhost`,
 * `127.0.0.1` or `[::1]` with the port the connection arrived at, the IP
 * address the connection arrived at (an address, unlike a name, cannot be
 * rebound to another machine), or an entry of `allowed` (`name` for any
 * port, `name:port`, or `*` for any host). Everything else is refused: a page
 * under another name that resolves to this machine (DNS rebinding) sends its
 * own name.
 */
export function isAllowedHost(request: IncomingMessage, allowed: readonly string[]): boolean {
    const secure = !!(request.socket as TLSSocket).encrypted;
    const host = parseHost(request.headers.host, secure);
    if (!host) {
        return false;
    }
    const localPort = request.socket.localPort;
    if (host.port === localPort && (LOOPBACK_NAMES.has(host.hostname) || host.hostname === bracketed(request.socket.localAddress))) {
        return true;
    }
    return allowed.some(entry => {
        if (entry.trim() === '*') {
            return true;
        }
        const permitted = parseHost(entry, secure, false);
        return !!permitted && permitted.hostname === host.hostname && (permitted.port === undefined || permitted.port === host.port);
    });
}

/** `name`, `name:port`, `[v6]:port` → its parts, normalised as a browser would (case, IP forms); undefined when it is not a host. */
function parseHost(text: string | undefined, secure: boolean, defaultPort = true): HostName | undefined {
    if (!text || /[\s/?#@\\]/.test(text)) {
        return undefined;
    }
    try {
        const url = new URL(`${secure ? 'https' : 'http'}://${text}`);
        const explicit = url.port !== '' || /:\d+$/.test(text);
        const port = url.port !== '' ? Number(url.port) : explicit || defaultPort ? (secure ? 443 : 80) : undefined;
        return { hostname: url.hostname, port };
    } catch {
        return undefined;
    }
}

/** A socket's local address as a Host header writes it: IPv6 in brackets, IPv4-mapped IPv6 as plain IPv4. */
function bracketed(address: string | undefined): string | undefined {
    if (!address) {
        return undefined;
    }
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) {
        return mapped[1];
    }
    return address.includes(':') ? `[${address.toLowerCase()}]` : address;
}
