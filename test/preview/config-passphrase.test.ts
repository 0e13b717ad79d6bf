import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  INCORRECT_PASSPHRASE,
  decryptValue,
  encryptValue,
  keyFromEncryptionSalt,
  newEncryptionSalt,
  passphraseFromEnvironment,
} from "../../tools/preview/passphrase";

describe("the passphrase secrets provider, against Pulumi's own test data (pulumi/pulumi@v3.248.0)", () => {
  it("opens pkg/secrets/passphrase/manager_test.go's state with its passphrase, and refuses a wrong one", () => {
    const state = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";
    expect(keyFromEncryptionSalt("password", state)).toHaveLength(32);
    expect(() => keyFromEncryptionSalt("password123", state)).toThrow(INCORRECT_PASSPHRASE);
  });

  it("decrypts tests/roundtrip/roundtrip_test.go's secret value with that stack's encryptionsalt and passphrase", () => {
    const key = keyFromEncryptionSalt("TestConfigRoundtripComments", "v1:ThS5UPxP9qc=:v1:UZYAXF+ylaJ0rGhv:9OTvBnOEDFgxs7btjzSu+LZ470vLpg==");
    expect(decryptValue(key, "v1:T1ftqhY0hqr+EJK6:+jvd5PMecFx80tcavzuZY4tLatgIfoe/xR72GA==")).toBe("secret-value");
  });
});

describe("values this code encrypts", () => {
  const { encryptionSalt, key } = newEncryptionSalt("correct horse");

  it("have Pulumi's shape (v1:<12-byte nonce>:<ciphertext and tag>, standard base64) and decrypt back", () => {
    const value = encryptValue(key, "https://hooks.slack.com/services/T0/B0/x");
    expect(value).toMatch(/^v1:[A-Za-z0-9+/]{16}:[A-Za-z0-9+/=]+$/);
    expect(decryptValue(key, value)).toBe("https://hooks.slack.com/services/T0/B0/x");
    expect(encryptionSalt).toMatch(/^v1:[A-Za-z0-9+/]{11}=:v1:/);
    expect(keyFromEncryptionSalt("correct horse", encryptionSalt).equals(key)).toBe(true);
  });

  it("are refused with the CLI's messages when altered or malformed", () => {
    const value = encryptValue(key, "abc");
    const tampered = value.slice(0, -4) + (value.endsWith("AAA=") ? "BBB=" : "AAA=");
    expect(() => decryptValue(key, tampered)).toThrow("cipher: message authentication failed");
    expect(() => decryptValue(key, "v1:abc")).toThrow("bad value");
    expect(() => decryptValue(key, "v2:AAAA:AAAA")).toThrow("unknown value version");
    expect(() => decryptValue(key, "v1:AAAA:AAAAAAAAAAAAAAAAAAAAAA==")).toThrow("bad value: nonce size is incorrect");
  });
});

describe("the passphrase from the environment, as the CLI reads it", () => {
  it("takes PULUMI_CONFIG_PASSPHRASE first, even when empty", () => {
    expect(passphraseFromEnvironment({ PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: "/nonexistent" })).toBe("");
  });

  it("else reads PULUMI_CONFIG_PASSPHRASE_FILE, trimmed; else has none", () => {
    const file = join(mkdtempSync(join(tmpdir(), "hm-pass-")), "phrase");
    writeFileSync(file, "  s3cret\n");
    expect(passphraseFromEnvironment({ PULUMI_CONFIG_PASSPHRASE_FILE: file })).toBe("s3cret");
    expect(passphraseFromEnvironment({ PULUMI_CONFIG_PASSPHRASE_FILE: "" })).toBeUndefined();
    expect(passphraseFromEnvironment({})).toBeUndefined();
    expect(() => passphraseFromEnvironment({ PULUMI_CONFIG_PASSPHRASE_FILE: join(file, "missing") })).toThrow(/unable to read PULUMI_CONFIG_PASSPHRASE_FILE/);
  });
});
