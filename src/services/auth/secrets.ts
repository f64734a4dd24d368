import { createHash, randomBytes, scrypt as scryptCb, timingSafeEqual } from 'node:crypto';
import { CrmError, ExitCode } from '../../domain/errors.js';

/**
 * Password hashes: `scrypt$<log2 N>$<r>$<p>$<salt>$<key>` (base64url), one random salt per password. The
 * parameters travel with the hash, so raising them later leaves old hashes readable (they are re-hashed at the
 * next sign-in). N = 2^15, r = 8, p = 1: about 60 ms and 32 MiB on one core.
 */
export const SCRYPT = { logN: 15, r: 8, p: 1, keyLen: 32 } as const;

function scrypt(password: string, salt: Buffer, logN: number, r: number, p: number, keyLen: number): Promise<Buffer> {
  const N = 2 ** logN;
  return new Promise((resolve, reject) =>
    scryptCb(password.normalize('NFC'), salt, keyLen, { N, r, p, maxmem: 256 * N * r + 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { logN, r, p, keyLen } = SCRYPT;
  const key = await scrypt(password, salt, logN, r, p, keyLen);
  return ['scrypt', logN, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string | null | undefined): Promise<boolean> {
  const parts = (stored ?? '').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    // Spend the same time whether or not the user exists, so the answer's delay names no user.
    await scrypt(password, Buffer.alloc(16), SCRYPT.logN, SCRYPT.r, SCRYPT.p, SCRYPT.keyLen);
    return false;
  }
  const [, logN, r, p, salt, key] = parts as [string, string, string, string, string, string];
  const want = Buffer.from(key, 'base64url');
  const got = await scrypt(password, Buffer.from(salt, 'base64url'), Number(logN), Number(r), Number(p), want.length);
  return got.length === want.length && timingSafeEqual(got, want);
}

/** Whether a stored hash was made with weaker parameters than today's. */
export function needsRehash(stored: string): boolean {
  const [, logN, r, p] = stored.split('$');
  return Number(logN) < SCRYPT.logN || Number(r) < SCRYPT.r || Number(p) < SCRYPT.p;
}

/** The password policy: long enough, not the user name, not too long. Says which rule, never the password. */
export function checkPasswordPolicy(userName: string, password: string, minLength: number): void {
  const length = [...password].length;
  const refuse = (zh: string, en: string) =>
    new CrmError('E1609', { zh: `密码不符合要求：${zh}`, en: `password refused: ${en}` }, ExitCode.usage, {
      zh: `至少 ${minLength} 个字符，且不能包含用户名`,
      en: `use at least ${minLength} characters that do not contain the user name`,
    });
  if (length < minLength) throw refuse(`少于 ${minLength} 个字符`, `shorter than ${minLength} characters`);
  if (length > 1024) throw refuse('超过 1024 个字符', 'longer than 1024 characters');
  if (password.toLowerCase().includes(userName.toLowerCase())) throw refuse('包含用户名', 'it contains the user name');
  if (/^\s|\s$/.test(password) || /[\r\n]/.test(password))
    throw refuse('以空白开头或结尾，或含换行', 'it starts or ends with white space, or holds a line break');
}

/** A new secret for a session or a token: 32 random bytes; only its SHA-256 is stored. */
export function newSecret(prefix: 'crms' | 'crmt'): string {
  return `${prefix}_${randomBytes(32).toString('base64url')}`;
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}
