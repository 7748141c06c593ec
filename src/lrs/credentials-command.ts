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

/** A checked command line: the action and what it needs. */
interface CredentialsRequest {
  action: 'create' | 'list' | 'revoke';
  /** The scopes to give (create), from --scope and the words after the action. */
  scopes: string[];
  /** The label (create), '' when none. */
  label: string;
  /** The credential's key (revoke), '' for the other actions. */
  key: string;
}

/**
 * Reads the words after "credentials" into a {@link CredentialsRequest}.
 * @returns the request, or a usage error message (one line, naming what is wrong)
 * @throws what parseCommandArgs throws other than a UsageError
 */
function parseCredentialsArgs(args: readonly string[]): CredentialsRequest | string {
  let parsed;
  try {
    parsed = parseCommandArgs(args, {
      allowPositionals: true,
      options: { scope: { type: 'string', multiple: true }, label: { type: 'string' } },
    });
  } catch (error) {
    if (error instanceof UsageError) {
      return error.message;
    }
    throw error;
  }
  const [action, ...rest] = parsed.positionals;
  if (action === undefined) {
    return 'say what to do: create, list or revoke';
  }
  if (action !== 'create' && action !== 'list' && action !== 'revoke') {
    return `unknown action "${action}"; the actions are create, list and revoke`;
  }
  const scopes = [...(parsed.values.scope ?? []), ...rest];
  const unknownScope = scopes.find((scope) => !(SCOPES as readonly string[]).includes(scope));
  if (action === 'create' && (scopes.length === 0 || unknownScope !== undefined)) {
    return unknownScope === undefined
      ? `create needs at least one scope: ${SCOPES.join(', ')}`
      : `unknown scope "${unknownScope}"; the scopes are ${SCOPES.join(', ')}`;
  }
  if (action === 'revoke' && rest[0] === undefined) {
    return "revoke needs the credential's key, e.g. npm run lrs -- credentials revoke KEY";
  }
  return { action, scopes, label: parsed.values.label ?? '', key: rest[0] ?? '' };
}

/**
 * Carries out a checked request on the credential store and prints its result.
 * @returns the process exit code: 0 done, 1 the credential to revoke was not found, 2 the store
 *   refused to create the credential (its message printed as a usage error)
 */
async function runCredentialsRequest(
  request: CredentialsRequest,
  credentials: ReturnType<typeof createCredentialStore>,
  usageError: (message: string) => number,
): Promise<number> {
  switch (request.action) {
    case 'create': {
      let created;
      try {
        created = await credentials.create(request.scopes, request.label);
      } catch (error) {
        return usageError((error as Error).message);
      }
      console.log(
        `key:    ${created.key}\nsecret: ${created.secret}\nscopes: ${request.scopes.join(' ')}\n(store the secret now: it is not kept and cannot be shown again)`,
      );
      return 0;
    }
    case 'list': {
      const rows = await credentials.list();
      console.log(
        [
          'key\tscopes\tlabel\tcreated\trevoked',
          ...rows.map((row) => [row.key, row.scopes.join(' '), row.label, row.created, row.revoked ?? '-'].join('\t')),
        ].join('\n'),
      );
      return 0;
    }
    case 'revoke': {
      if (!(await credentials.revoke(request.key))) {
        console.error(`no valid credential with key ${request.key}`);
        return 1;
      }
      console.log(`revoked ${request.key}`);
      return 0;
    }
  }
}

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
  const request = parseCredentialsArgs(args);
  if (typeof request === 'string') {
    return usageError(request);
  }
  const lrs = await openDatabase(typeof database === 'string' ? database : database());
  try {
    return await runCredentialsRequest(request, createCredentialStore(lrs), usageError);
  } finally {
    await lrs.close();
  }
}
