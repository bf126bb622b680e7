/**
 * `npm run users -- add|passwd|disable|enable|list`: manage the people who log in, from the shell (the admin
 * page does the same over the web). Works on the identity database the server uses (DATA_DIR or
 * DATABASE_URL), also while the server runs: a disabled user's sessions end within seconds. Every change
 * is audited with actor `cli`. A password is read from IOC_USER_PASSWORD when set, otherwise generated and
 * printed once.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { PASSWORD, PERSON_ROLES, ROLE_LABEL_VI, USERNAME, type PersonRole } from '../../shared/auth';
import { DEFAULT_PROVINCE } from '../../shared/provinces';
import { isProvinceSlug } from '../provinces/catalog';
import { AuditLog } from '../security/audit';
import { SqlSessionStore } from '../security/sessionStore';
import { UserStore } from '../security/users';
import { openIdentityDb } from '../store/sqlDb';

const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../data/', import.meta.url));

export const USERS_USAGE = `usage:
  npm run users -- add USERNAME --role ROLE [--name "Họ và tên"] [--communes 51001,51004]
  npm run users -- passwd USERNAME
  npm run users -- disable USERNAME | enable USERNAME
  npm run users -- list
roles: ${PERSON_ROLES.map((r) => `${r} (${ROLE_LABEL_VI[r]})`).join(', ')}
password: IOC_USER_PASSWORD if set (at least 10 characters), else one is generated and printed once
environment: PROVINCE, DATA_DIR (default ./data), DATABASE_URL`;

export interface UsersEnv {
  PROVINCE?: string;
  DATA_DIR?: string;
  DATABASE_URL?: string;
  IOC_USER_PASSWORD?: string;
}

class UsageError extends Error {}

function password(env: UsersEnv): { value: string; generated: boolean } {
  if (env.IOC_USER_PASSWORD !== undefined) {
    const p = PASSWORD.safeParse(env.IOC_USER_PASSWORD);
    if (!p.success) throw new UsageError(`IOC_USER_PASSWORD: ${p.error.issues[0]!.message}`);
    return { value: p.data, generated: false };
  }
  return { value: randomBytes(15).toString('base64url'), generated: true };
}

function username(arg: string | undefined): string {
  const u = USERNAME.safeParse(arg ?? '');
  if (!u.success) throw new UsageError(u.error.issues[0]!.message);
  return u.data;
}

export async function runUsersCli(argv: string[], env: UsersEnv, print: (line: string) => void = console.log): Promise<number> {
  const [command, ...rest] = argv;
  let r;
  try {
    r = parseArgs({ args: rest, allowPositionals: true, strict: true, options: { role: { type: 'string' }, name: { type: 'string' }, communes: { type: 'string' } } });
  } catch (err) {
    print(`${(err as Error).message}\n${USERS_USAGE}`);
    return 2;
  }
  const province = env.PROVINCE ?? DEFAULT_PROVINCE;
  if (!isProvinceSlug(province)) {
    print(`unknown province '${province}'`);
    return 2;
  }
  const db = await openIdentityDb({ province, dataDir: path.resolve(env.DATA_DIR ?? DEFAULT_DATA_DIR), databaseUrl: env.DATABASE_URL || undefined });
  try {
    const users = await UserStore.open(db, Date.now);
    const audit = await AuditLog.open(db, Date.now);
    switch (command) {
      case 'list': {
        for (const u of await users.list()) {
          print(`${u.username.padEnd(24)} ${u.role.padEnd(9)} ${u.disabled ? 'KHÓA ' : '     '}${u.displayName}${u.communes ? `  [xã: ${u.communes.join(', ')}]` : ''}`);
        }
        return 0;
      }
      case 'add': {
        const name = username(r.positionals[0]);
        const role = r.values.role as PersonRole | undefined;
        if (!role || !PERSON_ROLES.includes(role)) throw new UsageError(`--role must be one of: ${PERSON_ROLES.join(', ')}`);
        const communes = r.values.communes ? r.values.communes.split(',').map((c) => c.trim()).filter(Boolean) : null;
        if (communes?.some((c) => !/^\d{1,16}$/.test(c))) throw new UsageError('--communes: commune codes, comma-separated (e.g. 51001,51004)');
        if (await users.byName(name)) throw new Error(`user '${name}' already exists`);
        const pw = password(env);
        await users.create({ username: name, displayName: r.values.name ?? name, role, password: pw.value, communes });
        await audit.append({ actor: 'cli', action: 'user.create', target: name, detail: { role, communes } });
        print(`created ${name} (${role})${pw.generated ? `\n  password (shown once): ${pw.value}` : ''}`);
        return 0;
      }
      case 'passwd': {
        const name = username(r.positionals[0]);
        const pw = password(env);
        if (!(await users.update(name, { password: pw.value }))) throw new Error(`no user '${name}'`);
        await audit.append({ actor: 'cli', action: 'user.password', target: name });
        print(`password of ${name} changed${pw.generated ? `\n  new password (shown once): ${pw.value}` : ''}`);
        return 0;
      }
      case 'disable':
      case 'enable': {
        const name = username(r.positionals[0]);
        const u = await users.update(name, { disabled: command === 'disable' });
        if (!u) throw new Error(`no user '${name}'`);
        if (command === 'disable') await (await SqlSessionStore.open(db, Date.now)).destroyPrincipal(`user:${u.id}`);
        await audit.append({ actor: 'cli', action: command === 'disable' ? 'user.disable' : 'user.update', target: name, detail: { disabled: command === 'disable' } });
        print(`${name} ${command === 'disable' ? 'disabled: cannot log in, sessions ended' : 'enabled'}`);
        return 0;
      }
      default:
        throw new UsageError(command ? `unknown command '${command}'` : 'missing command');
    }
  } catch (err) {
    if (err instanceof UsageError) {
      print(`${err.message}\n${USERS_USAGE}`);
      return 2;
    }
    print(`users: ${(err as Error).message}`);
    return 1;
  } finally {
    await db.close();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runUsersCli(process.argv.slice(2), process.env).then((code) => process.exit(code));
}
