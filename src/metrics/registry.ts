import { collectDefaultMetrics, Registry } from 'prom-client';

/**
 * This process's metrics, with the usual process and Node.js figures. A registry of its own rather
 * than prom-client's global one: several pipelines in one process (the tests) must not collide.
 */
export function createRegistry(role: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ role });
  collectDefaultMetrics({ register: registry });
  return registry;
}
