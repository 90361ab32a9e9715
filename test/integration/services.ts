// The machine's own PostgreSQL and Redis for the tests of those backends:
// where they are (TWINSPACE_TEST_PG, TWINSPACE_TEST_REDIS), and whether they
// answer. A suite that needs one skips with a message when it is down,
// except under CI, where that is an error (.ci/run starts them).
import { Client as PgClient } from 'pg';
import { createClient } from 'redis';

export const PG_URL = process.env['TWINSPACE_TEST_PG'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const REDIS_URL = process.env['TWINSPACE_TEST_REDIS'] ?? 'redis://127.0.0.1:6379';
const isCi = Boolean(process.env['CI']);

async function pgDown(): Promise<string | null> {
  const pg = new PgClient({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  try {
    await pg.connect();
    await pg.query('SELECT 1');
    return null;
  } catch (e) {
    return `PostgreSQL at ${PG_URL}: ${(e as Error).message}`;
  } finally {
    await pg.end().catch(() => undefined);
  }
}

async function redisDown(): Promise<string | null> {
  const redis = createClient({ url: REDIS_URL, socket: { connectTimeout: 3000, reconnectStrategy: false } });
  redis.on('error', () => {});
  try {
    await redis.connect();
    await redis.ping();
    return null;
  } catch (e) {
    return `Redis at ${REDIS_URL}: ${(e as Error).message}`;
  } finally {
    if (redis.isOpen) redis.destroy();
  }
}

/**
 * Why `file`'s suite cannot run (a service it needs does not answer), or
 * null. Under CI that throws instead: a skipped backend test there would
 * pass without testing anything.
 */
export async function servicesDown(file: string, needs: readonly ('postgres' | 'redis')[]): Promise<string | null> {
  for (const n of needs) {
    const down = n === 'postgres' ? await pgDown() : await redisDown();
    if (down === null) continue;
    if (isCi) throw new Error(`Twinspace: ${file}: ${down} is unreachable and CI is set: start it (.ci/run does) or set TWINSPACE_TEST_PG / TWINSPACE_TEST_REDIS`);
    console.warn(`${file}: SKIPPED: ${down} is unreachable; start it or set TWINSPACE_TEST_PG / TWINSPACE_TEST_REDIS`);
    return down;
  }
  return null;
}

/** Deletes the Redis keys a test run made under `prefix`. */
export async function dropRedisKeys(prefix: string): Promise<void> {
  const redis = createClient({ url: REDIS_URL });
  await redis.connect();
  try {
    for await (const keys of redis.scanIterator({ MATCH: `${prefix}*`, COUNT: 1000 })) if (keys.length) await redis.del(keys);
  } finally {
    await redis.close();
  }
}
