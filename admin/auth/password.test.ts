import { describe, expect, it } from 'vitest';
import {
  ARGON_PARAMS,
  createPasswordHasher,
  generatePassword,
  isCommonPassword,
  passwordProblem,
  TEST_ARGON_PARAMS,
} from './password.ts';

describe('password policy', () => {
  it('accepts 8 to 128 characters without composition rules', () => {
    expect(passwordProblem('xanh lá cây')).toBeNull();
    expect(passwordProblem('abcdefgh'.replace('abcdefgh', 'kqzvwpjx'))).toBeNull();
    expect(passwordProblem('đ'.repeat(128))).toBeNull();
  });
  it('refuses short, overlong, common and username-equal passwords with Vietnamese messages', () => {
    expect(passwordProblem('ngắn7')).toMatch(/ít nhất 8 ký tự/);
    expect(passwordProblem(`${'a'.repeat(129)}q`)).toMatch(/không được dài quá 128/);
    expect(passwordProblem('Password123')).toMatch(/quá phổ biến/);
    expect(passwordProblem('matkhau123')).toMatch(/quá phổ biến/);
    expect(passwordProblem('12345678')).toMatch(/quá phổ biến/);
    expect(passwordProblem('01011990')).toMatch(/quá phổ biến/);
    expect(passwordProblem('Nguyenvana', { username: 'nguyenvana' })).toMatch(/trùng tên đăng nhập/);
  });
  it('counts characters, not bytes: 8 Vietnamese letters are enough', () => {
    expect(passwordProblem('ưởữựừứửđ')).toBeNull();
  });
  it('ships a common-password list of a few thousand entries', () => {
    expect(isCommonPassword('iloveyou')).toBe(true);
    expect(isCommonPassword('một câu khá dài và riêng')).toBe(false);
  });
  it('generates random passwords that pass the policy', () => {
    const a = generatePassword();
    expect(a).toHaveLength(16);
    expect(passwordProblem(a)).toBeNull();
    expect(generatePassword()).not.toBe(a);
  });
});

describe('argon2id hashing', () => {
  it('uses the production parameters m=19456 t=2 p=1 and verifies without truncation', async () => {
    const h = createPasswordHasher();
    expect(ARGON_PARAMS).toEqual({ memoryCost: 19456, timeCost: 2, parallelism: 1 });
    const long = 'câu dài '.repeat(16); // 128 characters, over 72 bytes (bcrypt would truncate)
    const hash = await h.hash(long);
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(await h.verify(hash, long)).toBe(true);
    expect(await h.verify(hash, `${long.slice(0, -1)}x`)).toBe(false);
  });
  it('verifies composed and decomposed Vietnamese input alike (NFC)', async () => {
    const h = createPasswordHasher(TEST_ARGON_PARAMS);
    const hash = await h.hash('Sở Tài chính tỉnh'.normalize('NFD'));
    expect(await h.verify(hash, 'Sở Tài chính tỉnh'.normalize('NFC'))).toBe(true);
    expect(await h.verify('not a hash', 'x')).toBe(false);
  });
});

describe('rehash on login', () => {
  it('detects hashes made with other parameters', async () => {
    const prod = createPasswordHasher();
    const light = createPasswordHasher(TEST_ARGON_PARAMS);
    const h = await light.hash('một câu mật khẩu');
    expect(prod.needsRehash(h)).toBe(true);
    expect(light.needsRehash(h)).toBe(false);
    expect(prod.needsRehash('$2b$10$bcrypthash')).toBe(true);
  });
});
