/**
 * Engine entry for Electron's utility process. Main hands over one end of a
 * MessageChannel; the renderer holds the other, so requests and progress go
 * straight between renderer and engine without passing through main.
 * Outside a utility process `process.parentPort` is undefined.
 */
import { EngineHost } from './host';

interface PortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  postMessage(message: unknown, transfer?: unknown[]): void;
  start(): void;
  close(): void;
}

interface ParentPort {
  on(event: 'message', listener: (event: { data: unknown; ports: PortLike[] }) => void): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (!parentPort) {
  console.error('The engine utility entry must run in an Electron utility process');
  process.exit(1);
}

// The page connected now; a page that reloads or asks again gets a new port, and the host that
// served the old one is closed with everything it held.
let current: { host: EngineHost; port: PortLike } | null = null;

parentPort.on('message', (event) => {
  const [port] = event.ports;
  if (!port || (event.data as { type?: string })?.type !== 'engine-port') return;
  current?.host.close();
  current?.port.close();
  // Electron's MessagePortMain transfers ArrayBuffers only by copy; the rows are small batches.
  const host = new EngineHost((message) => port.postMessage(message));
  current = { host, port };
  port.on('message', (e) => {
    void host.handle(e.data);
  });
  port.start();
  host.ready();
});
