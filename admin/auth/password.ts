/**
 * Passwords (OWASP ASVS v4 §2.1, §2.4): argon2id with 19 MiB, 2 iterations, parallelism 1 (the OWASP Password
 * Storage Cheat Sheet's first recommended setting); 8 to 128 characters, no composition rules, common passwords
 * refused, never truncated. Input is NFC-normalised first so a Vietnamese password typed with composed or
 * decomposed diacritics (different keyboards/IMEs) verifies the same.
 */
import { hash as argonHash, hashSync as argonHashSync, verify as argonVerify } from '@node-rs/argon2';
import { readFileSync } from 'node:fs';

export interface ArgonParams {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

/** The production parameters. Tests may pass lighter ones through createApp deps (see TEST_ARGON_PARAMS). */
export const ARGON_PARAMS: ArgonParams = { memoryCost: 19456, timeCost: 2, parallelism: 1 };
/** Only for tests: the stored hash carries its parameters, so verification stays correct, only faster. */
export const TEST_ARGON_PARAMS: ArgonParams = { memoryCost: 1024, timeCost: 1, parallelism: 1 };

// Algorithm is a `const enum` in @node-rs/argon2's typings, which isolatedModules cannot inline: 2 = Argon2id.
const ARGON2ID = 2 as const;

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

export interface PasswordHasher {
  params: ArgonParams;
  /** true when a stored hash was made with other parameters (or another algorithm): rehash at the next login */
  needsRehash(hash: string): boolean;
  hash(password: string): Promise<string>;
  hashSync(password: string): string;
  verify(hash: string, password: string): Promise<boolean>;
}

export function createPasswordHasher(params: ArgonParams = ARGON_PARAMS): PasswordHasher {
  const options = { algorithm: ARGON2ID, ...params } as unknown as Parameters<typeof argonHash>[1];
  const prefix = `$argon2id$v=19$m=${params.memoryCost},t=${params.timeCost},p=${params.parallelism}$`;
  return {
    params,
    needsRehash: (hash) => !hash.startsWith(prefix),
    hash: (password) => argonHash(password.normalize('NFC'), options),
    hashSync: (password) => argonHashSync(password.normalize('NFC'), options),
    async verify(hash, password) {
      try {
        return await argonVerify(hash, password.normalize('NFC'));
      } catch {
        return false;
      }
    },
  };
}

let commonPasswords: Set<string> | null = null;
function loadCommonPasswords(): Set<string> {
  if (!commonPasswords) {
    const text = readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8');
    commonPasswords = new Set(text.split('\n').filter((l) => l !== '' && !l.startsWith('#')));
  }
  return commonPasswords;
}

export function isCommonPassword(password: string): boolean {
  return loadCommonPasswords().has(password.normalize('NFC').toLowerCase());
}

/** Returns a Vietnamese message describing why the password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, context: { username?: string } = {}): string | null {
  const length = [...password.normalize('NFC')].length; // characters, not UTF-16 units or bytes
  if (length < PASSWORD_MIN) return `Mật khẩu phải có ít nhất ${PASSWORD_MIN} ký tự.`;
  if (length > PASSWORD_MAX) return `Mật khẩu không được dài quá ${PASSWORD_MAX} ký tự.`;
  if (isCommonPassword(password))
    return 'Mật khẩu này quá phổ biến, dễ bị đoán; hãy chọn mật khẩu khác (ví dụ một câu ngắn dễ nhớ).';
  if (context.username && password.normalize('NFC').toLowerCase() === context.username.toLowerCase()) {
    return 'Mật khẩu không được trùng tên đăng nhập.';
  }
  return null;
}

/** A random password for resets and demo accounts: 16 characters from an alphabet without look-alikes (~90 bits). */
export function generatePassword(length = 16): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const out: string[] = [];
  const bytes = new Uint8Array(length * 2);
  while (out.length < length) {
    crypto.getRandomValues(bytes);
    for (const b of bytes) {
      // rejection sampling keeps the distribution uniform
      if (b < Math.floor(256 / alphabet.length) * alphabet.length && out.length < length)
        out.push(alphabet[b % alphabet.length]!);
    }
  }
  return out.join('');
}
