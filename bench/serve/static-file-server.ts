/**
 * The baseline of `npm run bench:serve`: the plainest server of the same
 * bytes, Node's own `http` and `fs.createReadStream`, answering
 * `/imageparser/media/<kind>/<id>` from a JSON map of those URLs to files.
 * Run as its own process: `node static-file-server.js <port> <map.json>`;
 * it prints `listening` once it accepts connections.
 */
import * as fs from 'fs';
import * as http from 'http';

const [port, mapFile] = process.argv.slice(2);
const files = new Map<string, { file: string; type: string }>(Object.entries(JSON.parse(fs.readFileSync(mapFile, 'utf8'))));

const server = http.createServer((request, response) => {
    const found = files.get(request.url ?? '');
    if (!found) {
        response.statusCode = 404;
        response.end('No such media.');
        return;
    }
    response.setHeader('Content-Type', found.type);
    response.setHeader('Cache-Control', 'private, no-cache');
    const stream = fs.createReadStream(found.file);
    stream.on('error', () => response.destroy());
    stream.pipe(response);
});
server.keepAliveTimeout = 60_000;
server.listen(Number(port), '127.0.0.1', () => process.stdout.write('listening\n'));
