/**
 * Whether a name (an env var, a ConfigMap key) looks like it holds a secret, and whether a
 * value is plainly not one. Shared by the checks that find secrets written in plain text.
 *
 * A name is split into words on `_`, `-`, `.`, any other non-alphanumeric character and
 * camelCase boundaries (`dbPassword` -> DB PASSWORD, `OAuthToken` -> O AUTH TOKEN), then:
 *
 * - a STRONG word anywhere marks a secret: PASSWORD, PASSWD, PASSPHRASE, SECRET, TOKEN, APIKEY,
 *   CREDENTIAL(S), CREDS, PRIVATEKEY, SECRETKEY, and KEY, unless the word before KEY says the
 *   key is a lookup or a public key (CACHE_KEY, SORT_KEY, PARTITION_KEY, PUBLIC_KEY...). One-word
 *   compounds ending in PASSWORD, PASSWD, PASSPHRASE, SECRET, TOKEN or APIKEY count too
 *   (DBPASSWORD, CLIENTSECRET, AUTHTOKEN, `.htpasswd`). PRIMARY_KEY, ROUTING_KEY and HASH_KEY
 *   stay secrets: Azure's primary keys, PagerDuty's routing keys and HMAC keys are real ones.
 * - a few file names hold keys without the word: `id_rsa`, `id_ed25519`, `.netrc`, `.pgpass`.
 * - a WEAK word marks a secret only as the last word (file extensions like `.json` aside):
 *   PASS, PWD, AUTH, AUTHORIZATION, PRIVATE. `DB_PASS`, `REDIS_AUTH` and `GPG_PRIVATE` are
 *   secrets; `PASS_THROUGH`, `AUTH_MODE`, `PRIVATE_REGISTRY` and `PRIVATE_SUBNET` are not. The
 *   name `PWD` alone is the shell's working directory, not a password.
 * - a QUALIFIER word after the secret word means the entry names or describes the secret
 *   rather than holding it: `DB_PASSWORD_FILE`, `SECRET_NAME`, `AWS_ACCESS_KEY_ID`,
 *   `CACHE_KEY_PREFIX`, `TOKEN_TTL`, `AUTH_TOKEN_HEADER`, `API_KEY_ENABLED`.
 *
 * TOKENS and KEYS (plural) are deliberately not words: MAX_TOKENS (language models) and
 * SORT_KEYS are far more common in configuration than lists of real keys.
 */

const STRONG = new Set(['PASSWORD', 'PASSWORDS', 'PASSWD', 'PASSPHRASE', 'SECRET', 'SECRETS', 'TOKEN', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'CREDS', 'PRIVATEKEY', 'SECRETKEY', 'KEY']);

/** One-word compounds that end in these hold a secret too (DBPASSWORD, CLIENTSECRET). */
const STRONG_SUFFIXES = ['PASSWORD', 'PASSWD', 'PASSPHRASE', 'SECRET', 'TOKEN', 'APIKEY'];

const WEAK = new Set(['PASS', 'PWD', 'AUTH', 'AUTHORIZATION', 'PRIVATE']);

/** Words before KEY that make it a lookup key, a database key or a public key. */
const NON_SECRET_KEY_KINDS = new Set([
  'PUBLIC',
  'PUB',
  'CACHE',
  'SORT',
  'PARTITION',
  'FOREIGN',
  'RANGE',
  'IDEMPOTENCY',
  'LOOKUP',
  'DEDUP',
  'DEDUPLICATION',
  'SHARD',
  'LABEL',
  'ANNOTATION',
  'INDEX',
  'OBJECT',
  'LOCK',
  'QUEUE',
  'TOPIC',
  'MESSAGE',
]);

/** Words after a secret word that make the entry about the secret, not the secret itself. */
const QUALIFIERS = new Set([
  // where it is
  'FILE', 'FILES', 'FILENAME', 'PATH', 'DIR', 'DIRECTORY', 'LOCATION', 'MOUNT', 'STORE',
  'NAME', 'ID', 'REF', 'REFERENCE',
  'URL', 'URI', 'ENDPOINT', 'HOST', 'HOSTNAME', 'PORT', 'SERVER', 'ADDR', 'ADDRESS',
  // its shape and lifetime
  'PREFIX', 'SUFFIX', 'LENGTH', 'LEN', 'SIZE', 'BITS', 'FORMAT', 'TYPE', 'KIND', 'ALGORITHM', 'ALG', 'ALGO', 'VERSION',
  'TTL', 'EXPIRY', 'EXPIRE', 'EXPIRES', 'EXPIRATION', 'TIMEOUT', 'DURATION', 'LIFETIME', 'AGE', 'INTERVAL', 'ROTATION',
  'MIN', 'MAX', 'MINIMUM', 'MAXIMUM', 'COUNT', 'POLICY', 'COMPLEXITY',
  // how it is used
  'HEADER', 'FIELD', 'PARAM', 'PARAMETER', 'MODE', 'METHOD', 'METHODS', 'PROVIDER', 'ISSUER', 'AUDIENCE', 'SCOPE', 'SCOPES', 'REALM', 'DOMAIN',
  'ENABLED', 'DISABLED', 'ENABLE', 'DISABLE', 'REQUIRED',
  // the account it belongs to, or the public half
  'USER', 'USERNAME', 'LOGIN', 'PUB',
]);

/** File-name extensions, skipped when finding a name's last word (`auth.json` ends in AUTH). */
const EXTENSIONS = new Set(['JSON', 'YAML', 'YML', 'TOML', 'INI', 'CONF', 'CFG', 'ENV', 'TXT', 'PROPERTIES', 'XML', 'PEM', 'DER', 'P12', 'PFX', 'JKS']);

/**
 * File names that hold private keys or credentials without saying so in a word: SSH keys,
 * `.netrc`, `.pgpass`, Docker's registry auth files.
 */
const SECRET_FILE_NAMES = new Set(['id_rsa', 'id_dsa', 'id_ecdsa', 'id_ed25519', '.netrc', '.pgpass', '.dockercfg', '.dockerconfigjson']);

/** The words of a name, upper-cased: `dbPassword_file` -> DB, PASSWORD, FILE. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w.toUpperCase());
}

function strongAt(words: readonly string[], i: number): boolean {
  const w = words[i]!;
  if (w === 'KEY') return i === 0 || !NON_SECRET_KEY_KINDS.has(words[i - 1]!);
  if (STRONG.has(w)) return true;
  return STRONG_SUFFIXES.some((s) => w.length > s.length && w.endsWith(s));
}

/**
 * The word that makes `name` look like a secret's name (`PASSWORD` for `DB_PASSWORD`), or
 * undefined when it does not.
 */
export function secretWordOf(name: string): string | undefined {
  if (SECRET_FILE_NAMES.has(name.toLowerCase())) return name;
  const words = nameWords(name);
  if (words.length === 1 && words[0] === 'PWD') return undefined;
  let last = words.length - 1;
  while (last > 0 && EXTENSIONS.has(words[last]!)) last--;
  const qualifiedAfter = (i: number): boolean => words.slice(i + 1).some((w) => QUALIFIERS.has(w));
  for (let i = 0; i < words.length; i++) {
    const secret = strongAt(words, i) || (i === last && WEAK.has(words[i]!));
    if (secret && !qualifiedAfter(i)) return words[i];
  }
  return undefined;
}

export function looksLikeSecretName(name: string): boolean {
  return secretWordOf(name) !== undefined;
}

const BOOLEAN_LIKE = /^(true|false|yes|no|on|off|enabled|disabled|none|null)$/i;
/** One absolute path, no spaces: `/etc/tls/tls.key`, `/run/secrets/db-password`. */
const ABSOLUTE_PATH = /^(\/[\w.@+~%-]+)+\/?$/;
/**
 * Only references to values held elsewhere, and punctuation: `$(DB_PASSWORD)` (Kubernetes'
 * own env expansion), `${DB_PASSWORD}` (envsubst, most config loaders), `$(A):$(B)`. A
 * `${VAR:-default}` is not one: its default is a literal.
 */
const REFERENCES_ONLY = /^(?:\$\([A-Za-z_][\w.-]*\)|\$\{[A-Za-z_]\w*\}|[^\w$])*(?:\$\([A-Za-z_][\w.-]*\)|\$\{[A-Za-z_]\w*\})(?:\$\([A-Za-z_][\w.-]*\)|\$\{[A-Za-z_]\w*\}|[^\w$])*$/;

/**
 * Why a value under a secret-looking name is plainly not a secret (`a file path`), or
 * undefined when it may well be one. Empty values are the caller's business.
 */
export function nonSecretValue(value: string): string | undefined {
  const v = value.trim();
  if (v === '') return 'blank';
  if (BOOLEAN_LIKE.test(v)) return 'a switch, not a secret';
  if (ABSOLUTE_PATH.test(v)) return 'a file path';
  if (REFERENCES_ONLY.test(v)) return 'a reference to a value held elsewhere';
  return undefined;
}
