import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyInstance } from 'fastify';

/** Defects a broken variant switches on; none gives the correct app. */
export type ItemsFastifyDefect =
  /** An onSend hook rewrites ratelimit-reset as the epoch second of the reset ("clients want a timestamp"). */
  'reset-as-epoch';

export interface ItemsFastifyOptions {
  max?: number;
  timeWindowMs?: number;
  defect?: ItemsFastifyDefect;
}

const ITEMS = [{ id: 'item_1', name: 'Sencha' }];

/**
 * The Items API of test/fixtures/reference-servers/fastify-draft-spec.yaml on Fastify and
 * @fastify/rate-limit, as the plugin's README shows: registered globally with `max`, `timeWindow` and
 * `enableDraftSpec: true` (the IETF draft's ratelimit-* headers), keyed by the client IP, its default 429;
 * /health opts out with `config: { rateLimit: false }`.
 */
export async function createItemsFastifyApp(options: ItemsFastifyOptions = {}): Promise<FastifyInstance> {
  const app = Fastify();
  await app.register(rateLimit, { max: options.max ?? 5, timeWindow: options.timeWindowMs ?? 2_000, enableDraftSpec: true });
  if (options.defect === 'reset-as-epoch') {
    app.addHook('onSend', async (_req, reply) => {
      const reset = reply.getHeader('ratelimit-reset');
      if (reset !== undefined) reply.header('ratelimit-reset', Math.ceil(Date.now() / 1000) + Number(reset));
    });
  }
  app.get('/v1/items', async () => ITEMS);
  app.get<{ Params: { id: string } }>('/v1/items/:id', async (req, reply) => {
    const item = ITEMS.find((i) => i.id === req.params.id);
    return item ?? reply.code(404).send({ error: 'not found' });
  });
  app.get('/health', { config: { rateLimit: false } }, async () => ({ status: 'ok' }));
  return app;
}

/** Starts the app on 127.0.0.1 and a free port. */
export async function startItemsFastify(options: ItemsFastifyOptions = {}): Promise<{ url: string; close(): Promise<void> }> {
  const app = await createItemsFastifyApp(options);
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, close: () => app.close() };
}
