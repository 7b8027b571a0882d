/**
 * Credential redaction. Whatever loads a secret (token, password, key) registers it here; every
 * line the tool prints or logs passes through `redact`, so a secret cannot leak even at -v 10.
 */
const secrets = new Set<string>();

/** Remember a secret so it is masked wherever it appears. Short values are ignored (too ambiguous). */
export function registerSecret(value: string | undefined | null): void {
  if (value && value.length >= 8) secrets.add(value);
}

const BEARER = /(authorization:\s*bearer\s+)[^\s"']+/gi;
const TOKEN_FIELD = /("?(?:token|password|client-key-data|client-certificate-data|secret)"?\s*[:=]\s*"?)[^\s",}]+/gi;

export function redact(text: string): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join("[REDACTED]");
  return out.replace(BEARER, "$1[REDACTED]").replace(TOKEN_FIELD, "$1[REDACTED]");
}

/** For tests: forget every registered secret. */
export function clearSecrets(): void {
  secrets.clear();
}
