/**
 * The Pulumi passphrase secrets provider, re-implemented with node:crypto so that the offline
 * preview can read `secure:` config values when the passphrase is at hand.
 *
 * Source: pulumi/pulumi@v3.248.0 (the CLI release this was written against; the @pulumi/pulumi SDK
 * pin has since moved to 3.270.0, and these CLI sources have not been re-read at that tag):
 * - sdk/go/common/resource/config/crypt.go: NewSymmetricCrypterFromPassphrase derives a 32-byte key
 *   with PBKDF2-HMAC-SHA256, 1,000,000 iterations; symmetricCrypter seals with AES-256-GCM, a random
 *   12-byte nonce and no additional data, and writes "v1:<base64 nonce>:<base64 ciphertext+tag>"
 *   (standard base64 with padding; the 16-byte GCM tag is appended to the ciphertext, as Go's Seal does).
 * - pkg/secrets/passphrase/manager.go: the stack file's `encryptionsalt` is
 *   "v1:<base64 8-byte salt>:<the word "pulumi" encrypted with the derived key>"; a passphrase is
 *   correct when that value decrypts to "pulumi". The passphrase comes from PULUMI_CONFIG_PASSPHRASE
 *   (used even when empty) or else from the file PULUMI_CONFIG_PASSPHRASE_FILE names (when set and
 *   not empty; its content with surrounding whitespace trimmed).
 */
import { createCipheriv, createDecipheriv, pbkdf2Sync, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

const ITERATIONS = 1_000_000;
const KEY_BYTES = 32;
const NONCE_BYTES = 12;
const TAG_BYTES = 16;
/** Text the passphrase provider encrypts into `encryptionsalt` to recognise the right passphrase. */
const CHECK_WORD = "pulumi";

/** The CLI's wording when the passphrase does not open the stack (manager.go, errorCrypter). */
export const INCORRECT_PASSPHRASE =
  "failed to decrypt: incorrect passphrase, please set PULUMI_CONFIG_PASSPHRASE to the correct passphrase or set PULUMI_CONFIG_PASSPHRASE_FILE to a file containing the passphrase";

export class SecretDecryptionError extends Error {
  override name = "SecretDecryptionError";
}

/** Go's base64.StdEncoding.DecodeString is strict: padded standard alphabet only. */
function strictBase64(text: string, what: string): Buffer {
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(text)) {
    throw new SecretDecryptionError(`bad value: ${what} is not base64`);
  }
  return Buffer.from(text, "base64");
}

export function deriveKey(passphrase: string, salt: Buffer): Buffer {
  return pbkdf2Sync(Buffer.from(passphrase, "utf8"), salt, ITERATIONS, KEY_BYTES, "sha256");
}

/** Encrypts as symmetricCrypter.EncryptValue does; used by tests to make stack files. */
export function encryptValue(key: Buffer, plaintext: string, nonce: Buffer = randomBytes(NONCE_BYTES)): string {
  const cipher = createCipheriv("aes-256-gcm", key, nonce);
  const sealed = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
  return `v1:${nonce.toString("base64")}:${sealed.toString("base64")}`;
}

/** Decrypts a "v1:<nonce>:<ciphertext>" value as symmetricCrypter.DecryptValue does. */
export function decryptValue(key: Buffer, value: string): string {
  const parts = value.split(":");
  if (parts.length !== 3) throw new SecretDecryptionError("bad value");
  if (parts[0] !== "v1") throw new SecretDecryptionError("unknown value version");
  const nonce = strictBase64(parts[1]!, "the nonce");
  const sealed = strictBase64(parts[2]!, "the ciphertext");
  if (nonce.length !== NONCE_BYTES) throw new SecretDecryptionError("bad value: nonce size is incorrect");
  if (sealed.length < TAG_BYTES) throw new SecretDecryptionError("cipher: message authentication failed");
  const decipher = createDecipheriv("aes-256-gcm", key, nonce);
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG_BYTES)), decipher.final()]).toString("utf8");
  } catch {
    // Go's aesgcm.Open reports a wrong key or an altered value this way.
    throw new SecretDecryptionError("cipher: message authentication failed");
  }
}

/** Makes a new `encryptionsalt` for a passphrase, as NewPassphraseSecretsManager does (for tests). */
export function newEncryptionSalt(passphrase: string, salt: Buffer = randomBytes(8)): { encryptionSalt: string; key: Buffer } {
  const key = deriveKey(passphrase, salt);
  return { encryptionSalt: `v1:${salt.toString("base64")}:${encryptValue(key, CHECK_WORD)}`, key };
}

/**
 * The key a passphrase opens for a stack's `encryptionsalt`, as symmetricCrypterFromPhraseAndState
 * computes it. Throws SecretDecryptionError with the CLI's message when the passphrase is wrong.
 */
export function keyFromEncryptionSalt(passphrase: string, encryptionSalt: string): Buffer {
  const parts = encryptionSalt.split(":");
  if (parts.length < 3) throw new SecretDecryptionError("malformed state value");
  if (parts[0] !== "v1") throw new SecretDecryptionError("unknown state version");
  const key = deriveKey(passphrase, strictBase64(parts[1]!, "the salt"));
  let word: string | undefined;
  try {
    word = decryptValue(key, parts.slice(2).join(":"));
  } catch {
    word = undefined;
  }
  if (word !== CHECK_WORD) throw new SecretDecryptionError(INCORRECT_PASSPHRASE);
  return key;
}

/** The passphrase the CLI would use without prompting, or undefined when the environment has none. */
export function passphraseFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const phrase = env["PULUMI_CONFIG_PASSPHRASE"];
  if (phrase !== undefined) return phrase;
  const file = env["PULUMI_CONFIG_PASSPHRASE_FILE"];
  if (file === undefined || file === "") return undefined;
  try {
    return readFileSync(resolve(file), "utf8").trim();
  } catch (error) {
    throw new SecretDecryptionError(`unable to read PULUMI_CONFIG_PASSPHRASE_FILE: ${error instanceof Error ? error.message : String(error)}`);
  }
}
