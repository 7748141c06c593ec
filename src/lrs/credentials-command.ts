import { UsageError, parseCommandArgs, wantsHelp } from '../../scripts/cli.ts';
import { openDatabase } from './db/open.ts';
import { SCOPES, createCredentialStore } from './store/credentials.ts';

const USAGE = `Usage:
  npm run lrs -- credentials create SCOPE [SCOPE ...] [--label TEXT]   (or --scope SCOPE ...)
  npm run lrs -- credentials list
  npm run lrs -- credentials revoke KEY
  npm run lrs -- credentials --help

Scopes: ${SCOPES.join(', ')}.
The database is the server's: LRS_DATABASE_URL (PostgreSQL) or LRS_DB_PATH (SQLite, default ./data/lrs.sqlite).
The secret is printed once, at creation, and stored only as a scrypt hash.`;

/**
 * `npm run lrs -- credentials create|list|revoke`: manage the LRS's HTTP Basic credentials and
 * their xAPI scopes in its database.
 * @param args the words after "credentials", e.g. ["create", "--scope", "statements/read", "--label", "Secretariat"]
 * @param database the LRS database location (SQLite path or PostgreSQL URL), or a function giving
 *   it, called only when the database is needed (not for --help or a usage error)
 * @returns the process exit code: 0 done (or --help, which prints the usage), 1 the credential to
 *   revoke was not found, 2 a usage error (one line on stderr naming it)
 */
export async function credentialsCommand(args: readonly string[], database: string | (() => string)): Promise<number> {
  if (wantsHelp(args)) {
    console.log(USAGE);
    return 0;
  }
  const usageError = (message: string): number => {
    console.error(`npm run lrs -- credentials: ${message} (npm run lrs -- credentials --help shows the usage)`);
    return 2;
  };
  let parsed;
  try {
    parsed = parseCommandArgs(args, {
      allowPositionals: true,
      options: { scope: { type: 'string', multiple: true }, label: { type: 'string' } },
    });
  } catch (error) {
    if (error instanceof UsageError) {
      return usageError(error.message);
    }
    throw error;
  }
  const [action, ...rest] = parsed.positionals;
  if (action === undefined) {
    return usageError('say what to do: create, list or revoke');
  }
  if (!['create', 'list', 'revoke'].includes(action)) {
    return usageError(`unknown action "${action}"; the actions are create, list and revoke`);
  }
  const scopes = [...(parsed.values.scope ?? []), ...rest];
  const unknownScope = scopes.find((scope) => !(SCOPES as readonly string[]).includes(scope));
  if (action === 'create' && (scopes.length === 0 || unknownScope !== undefined)) {
    return usageError(
      unknownScope === undefined
        ? `create needs at least one scope: ${SCOPES.join(', ')}`
        : `unknown scope "${unknownScope}"; the scopes are ${SCOPES.join(', ')}`,
    );
  }
  if (action === 'revoke' && rest[0] === undefined) {
    return usageError("revoke needs the credential's key, e.g. npm run lrs -- credentials revoke KEY");
  }
  const lrs = await openDatabase(typeof database === 'string' ? database : database());
  try {
    const credentials = createCredentialStore(lrs);
    switch (action) {
      case 'create': {
        let created;
        try {
          created = await credentials.create(scopes, parsed.values.label ?? '');
        } catch (error) {
          return usageError((error as Error).message);
        }
        console.log(`key:    ${created.key}\nsecret: ${created.secret}\nscopes: ${scopes.join(' ')}\n(store the secret now: it is not kept and cannot be shown again)`);
        return 0;
      }
      case 'list': {
        const rows = await credentials.list();
        console.log(['key\tscopes\tlabel\tcreated\trevoked', ...rows.map((row) => [row.key, row.scopes.join(' '), row.label, row.created, row.revoked ?? '-'].join('\t'))].join('\n'));
        return 0;
      }
      case 'revoke': {
        const key = rest[0] ?? '';
        if (!(await credentials.revoke(key))) {
          console.error(`no valid credential with key ${key}`);
          return 1;
        }
        console.log(`revoked ${key}`);
        return 0;
      }
      default:
        return usageError(`unknown action "${action}"`);
    }
  } finally {
    await lrs.close();
  }
}
