// The SignalR connection to /hub/coplays (server -> client only; the page never invokes a hub method).
// Automatic reconnect retries after 0, 1, 2, 5, 10 s and then every 10 s for ever; when the connection closes
// anyway (the first start failed, or the server closed it without allowing a reconnect) start() is retried
// every restartDelayMs. States: connecting | live | reconnecting | offline.

import { HubConnectionBuilder, HubConnectionState, LogLevel } from '@microsoft/signalr';

export const RECONNECT_DELAYS_MS = [0, 1000, 2000, 5000, 10000];

/** Retry for ever: the listed delays, then the last one again and again. */
export const retryForever = {
  nextRetryDelayInMilliseconds(context) {
    const i = Math.min(context.previousRetryCount, RECONNECT_DELAYS_MS.length - 1);
    return RECONNECT_DELAYS_MS[i];
  },
};

// Failures the page handles itself (it shows them in #connection-state and retries) are warnings, not errors.
const logger = {
  log(level, message) {
    if (level >= LogLevel.Warning && level !== LogLevel.None) console.warn(`[SignalR] ${message}`);
  },
};

/**
 * @param {{ url?: string, handlers: Record<string, (arg: any) => void>, onState: (state: string) => void,
 *           restartDelayMs?: number }} options
 */
export function connect({ url = '/hub/coplays', handlers, onState, restartDelayMs = 5000 }) {
  const connection = new HubConnectionBuilder()
    .withUrl(url)
    .withAutomaticReconnect(retryForever)
    .configureLogging(logger)
    .build();

  for (const [method, handler] of Object.entries(handlers)) {
    connection.on(method, (arg) => {
      try {
        handler(arg);
      } catch (err) {
        // One bad message must not stop the page; keep it visible to a developer.
        console.warn(`[page] ${method} handler failed`, err);
      }
    });
  }

  let timer = 0;

  const schedule = () => {
    if (timer === 0) timer = window.setTimeout(start, restartDelayMs);
  };

  async function start() {
    timer = 0;
    if (connection.state !== HubConnectionState.Disconnected) return;
    try {
      await connection.start();
      onState('live');
    } catch {
      onState('offline');
      schedule();
    }
  }

  connection.onreconnecting(() => onState('reconnecting'));
  connection.onreconnected(() => onState('live'));
  connection.onclose(() => {
    onState('offline');
    schedule();
  });

  onState('connecting');
  start();
  return connection;
}
