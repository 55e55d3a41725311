/**
 * Engine entry for a Node child process (`child_process.fork` with
 * `serialization: 'advanced'`, so typed arrays arrive as typed arrays).
 * Used by the integration tests and by the `gdlab` tooling.
 */
import { EngineHost } from './host';

if (!process.send) {
  console.error('The engine entry must be started with child_process.fork');
  process.exit(1);
}

const host = new EngineHost((event) => {
  process.send?.(event);
});
process.on('message', (message) => {
  void host.handle(message);
});
process.on('disconnect', () => process.exit(0));
host.ready();
