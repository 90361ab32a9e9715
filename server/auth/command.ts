// `twinspace token create --role viewer|operator|admin [--label L] [--db URL]`:
// prints a new bearer token alone on stdout (only its hash is stored).
import { isRole, ROLES } from '../../src/core/protocol.ts';
import { UsageError, type Io } from '../shared.ts';
import { DEFAULT_DB_URL, openStore } from '../store/index.ts';
import { createToken } from './tokens.ts';

export async function tokenCommand(values: Record<string, string | boolean | undefined>, [action]: string[], io: Io): Promise<number> {
  if (action !== 'create') throw new UsageError(`unknown action ${JSON.stringify(action)}; expected "create"`);
  const role = values['role'];
  if (!isRole(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}${role === undefined ? '' : `, got ${JSON.stringify(role)}`}`);
  const label = values['label'];
  if (label !== undefined && (typeof label !== 'string' || label.trim() === '' || label.length > 100)) throw new UsageError('--label must be 1–100 characters');
  const store = await openStore(typeof values['db'] === 'string' ? values['db'] : DEFAULT_DB_URL);
  try {
    const { token } = await createToken(store, { role, actor: 'cli', ...(typeof label === 'string' ? { label: label.trim() } : {}) });
    io.out(token);
  } finally {
    await store.close();
  }
  return 0;
}
