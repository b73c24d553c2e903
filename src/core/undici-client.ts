/**
 * undici's Agent and ProxyAgent, loaded from their own modules rather than from undici's index.
 * The index also loads fetch, WebSocket, caches and mocks, and reads globalThis.Headers, which
 * loads Node's built-in copy of undici as well: 25 ms of every CLI start. (The Action's bundles
 * load the index anyway, through @actions/core; there this changes nothing.)
 */
import Dispatcher from 'undici/lib/dispatcher/dispatcher.js';
import dispatcherApi from 'undici/lib/api/index.js';

export { default as Agent } from 'undici/lib/dispatcher/agent.js';
export { default as ProxyAgent } from 'undici/lib/dispatcher/proxy-agent.js';

// What the index does when it loads: dispatchers get request(), and ProxyAgent tunnels with connect().
Object.assign(Dispatcher.prototype, dispatcherApi);
